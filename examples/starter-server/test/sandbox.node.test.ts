import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.ts';

interface PythonResult {
  ok: boolean;
  stdout: string;
  result?: { repr: string };
  error?: { type: string; message: string };
  sessionId: string;
}

describe('Python and SQL through the Pyodide sandbox', () => {
  let server: TestServer;
  const python = async (code: string, extra: Record<string, unknown> = {}) => {
    const response = await server.api('/api/tools/python', { method: 'POST', json: { code, ...extra } });
    expect(response.status).toBe(200);
    return (await response.json()) as PythonResult;
  };

  beforeAll(async () => {
    server = await startTestServer({ services: { sandbox: true } });
  });
  afterAll(() => server.close());

  // Generous: the first run waits for the Pyodide pool to finish warming up on a cold CI machine.
  it('keeps variables within a scratchpad session and not across sessions', { timeout: 120_000 }, async () => {
    await python('x = 20', { sessionId: 'pad-a' });
    expect((await python('x * 2 + 2', { sessionId: 'pad-a' })).result?.repr).toBe('42');
    const other = await python('x', { sessionId: 'pad-b' });
    expect(other.ok).toBe(false);
    expect(other.error?.type).toBe('NameError');
  });

  it('reports exceptions and time-outs as results, and keeps serving', async () => {
    const failed = await python('1 / 0');
    expect(failed).toMatchObject({ ok: false, error: { type: 'ZeroDivisionError' } });
    const slow = await python('while True:\n    pass', { timeoutMs: 500 });
    expect(slow).toMatchObject({ ok: false, error: { type: 'TimeoutError' } });
    expect((await python('print("still here")')).stdout).toBe('still here\n');
  });

  it('runs Python sent to the demo model in a fenced block through the run_python tool', async () => {
    const response = await server.api('/api/chat', {
      method: 'POST',
      json: { messages: [{ role: 'user', content: 'Run this please:\n```python\nprint(sum(range(101)))\n```' }] },
    });
    const body = (await response.json()) as { result: { text: string } };
    expect(body.result.text).toContain('5050');
  });

  it('runs read-only SQL over an uploaded CSV file', async () => {
    const csv = 'name,score\nada,9\nbob,4\ncy,7\n';
    const upload = await server.api('/api/tools/files?name=scores.csv', {
      method: 'POST',
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(upload.status).toBe(201);
    const listed = (await (await server.api('/api/tools/files')).json()) as {
      files: Array<{ name: string; bytes: number }>;
    };
    expect(listed.files).toContainEqual({ name: 'scores.csv', bytes: csv.length });

    const query = await server.api('/api/tools/sql', {
      method: 'POST',
      json: { file: 'scores.csv', query: 'SELECT name, score FROM scores WHERE score > 5 ORDER BY name' },
    });
    expect(query.status).toBe(200);
    expect(await query.json()).toEqual({
      columns: ['name', 'score'],
      rows: [
        ['ada', 9],
        ['cy', 7],
      ],
      truncated: false,
    });

    const write = await server.api('/api/tools/sql', {
      method: 'POST',
      json: { file: 'scores.csv', query: 'DELETE FROM scores' },
    });
    expect(write.status).toBe(400);
    const missing = await server.api('/api/tools/sql', {
      method: 'POST',
      json: { file: 'nope.csv', query: 'SELECT 1' },
    });
    expect(missing.status).toBe(404);
    const badName = await server.api('/api/tools/files?name=../../etc/passwd', { method: 'POST', body: 'x' });
    expect(badName.status).toBe(400);
  });

  it('runs SQL over an uploaded SQLite database file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'agenticgen-sqlite-'));
    try {
      const path = join(folder, 'shop.db');
      const database = new DatabaseSync(path);
      database.exec(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT, quantity INTEGER); INSERT INTO orders (item, quantity) VALUES ('tea', 3), ('cake', 1), ('tea', 2);",
      );
      database.close();
      const upload = await server.api('/api/tools/files?name=shop.db', {
        method: 'POST',
        body: readFileSync(path),
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(upload.status).toBe(201);
      const query = await server.api('/api/tools/sql', {
        method: 'POST',
        json: { file: 'shop.db', query: 'SELECT item, SUM(quantity) AS total FROM orders GROUP BY item ORDER BY item' },
      });
      expect(await query.json()).toEqual({
        columns: ['item', 'total'],
        rows: [
          ['cake', 1],
          ['tea', 5],
        ],
        truncated: false,
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
