import { createAgent } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PythonSandbox } from '../host/sandbox-core.js';
import { createTestSandbox } from '../testing/test-sandbox.js';
import { createPythonTool, type PythonToolOutput } from './python-tool.js';
import { createSqlTool, type SqlToolOutput } from './sql-tool.js';

const sales = 'region,product,units,price\nnorth,apple,10,1.5\nsouth,apple,4,1.5\nnorth,pear,7,2.25\nwest,plum,,3\n';

describe('tools inside an agent run', () => {
  let sandbox: PythonSandbox;

  beforeAll(async () => {
    sandbox = createTestSandbox({ pool: { warm: 2 } });
    await sandbox.warmUp();
  }, 120_000);

  afterAll(async () => {
    await sandbox?.dispose();
  });

  it('createPythonTool runs model-written code, keeps state and reports produced files', async () => {
    const tool = createPythonTool({ sandbox });
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'run_python', input: { code: 'total = sum(range(10))\nprint("total", total)' } }] },
        {
          toolCalls: [
            { toolName: 'run_python', input: { code: 'open("report.txt", "w").write(str(total * 2))\ntotal * 2' } },
          ],
        },
        { toolCalls: [{ toolName: 'run_python', input: { code: '1 / 0' } }] },
        'The total doubled is 90.',
      ],
    });
    const agent = createAgent({ name: 'analyst', model, instructions: 'Use Python.', tools: [tool] });
    const result = await agent.run('Double the sum of 0..9');
    expect(result.text).toBe('The total doubled is 90.');
    const outputs = result.steps.flatMap((step) => step.toolCalls.map((call) => call.output as PythonToolOutput));
    expect(outputs[0]).toMatchObject({ ok: true, stdout: 'total 45\n', files: [] });
    expect(outputs[1]).toMatchObject({
      ok: true,
      result: '90',
      files: [{ path: '/home/pyodide/report.txt', size: 2 }],
    });
    expect(outputs[2]?.ok).toBe(false);
    expect(outputs[2]?.error).toMatch(/ZeroDivisionError: division by zero/);
    await tool.dispose();
  });

  it('createPythonTool clips output at maxOutputCharacters, accepting maxOutputChars as a deprecated alias', async () => {
    const context = { signal: new AbortController().signal, toolCallId: 'c', values: {} };
    const stdoutOf = async (options: { maxOutputCharacters?: number; maxOutputChars?: number }) => {
      await using tool = createPythonTool({ sandbox, ...options });
      const output = await tool.execute({ code: 'print("x" * 50)' }, context);
      expect(output.truncated).toBe(true);
      return output.stdout.split('\n')[0];
    };
    expect(await stdoutOf({ maxOutputCharacters: 8 })).toBe('x'.repeat(8));
    expect(await stdoutOf({ maxOutputChars: 5 })).toBe('x'.repeat(5));
    expect(await stdoutOf({ maxOutputChars: 5, maxOutputCharacters: 8 })).toBe('x'.repeat(8));
    expect(() => createPythonTool({ sandbox, maxOutputCharacters: 0 })).toThrow(/maxOutputCharacters/);
  });

  it('createSqlTool queries CSV tables read-only with row limits', async () => {
    const tool = createSqlTool({ sandbox, data: { csv: { sales } }, maxRows: 2 });
    const model = new MockChatModel({
      responses: [
        {
          toolCalls: [
            {
              toolName: 'query_sql',
              input: {
                query: 'SELECT region, SUM(units * price) AS revenue FROM sales GROUP BY region ORDER BY revenue DESC',
              },
            },
          ],
        },
        { toolCalls: [{ toolName: 'query_sql', input: { query: 'DELETE FROM sales' } }] },
        { toolCalls: [{ toolName: 'query_sql', input: { query: "ATTACH DATABASE '/tmp/x.db' AS x" } }] },
        'North sells most.',
      ],
    });
    const agent = createAgent({ name: 'analyst', model, instructions: 'Use SQL.', tools: [tool] });
    const result = await agent.run('Which region sells most?');
    const outputs = result.steps.flatMap((step) => step.toolCalls.map((call) => call.output as SqlToolOutput));
    expect(outputs[0]).toEqual({
      ok: true,
      columns: ['region', 'revenue'],
      rows: [
        ['north', 30.75],
        ['south', 6],
      ],
      truncated: true,
    });
    expect(outputs[1]?.ok).toBe(false);
    expect(outputs[1]?.error).toMatch(/not authorized|readonly/);
    expect(outputs[2]?.ok).toBe(false);
    const schema = await tool.describe();
    expect(schema).toMatch(/CREATE TABLE "sales" \("region" TEXT, "product" TEXT, "units" INTEGER, "price" REAL\)/);
    await tool.dispose();
  });

  it('createSqlTool stops a runaway query at its time limit and allows writes only when asked', async () => {
    const tool = createSqlTool({ sandbox, data: { csv: { sales } }, timeoutMs: 300, allowWrites: true });
    const runaway = await tool.execute(
      { query: 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n' },
      { signal: new AbortController().signal, toolCallId: 'call_1', values: {} },
    );
    expect(runaway.ok).toBe(false);
    expect(runaway.error).toMatch(/longer than 300 ms/);
    const context = { signal: new AbortController().signal, toolCallId: 'call_2', values: {} };
    expect((await tool.execute({ query: "INSERT INTO sales VALUES ('east', 'fig', 1, 9)" }, context)).ok).toBe(true);
    const count = await tool.execute({ query: 'SELECT COUNT(*) FROM sales' }, context);
    expect(count.rows).toEqual([[5]]);
    await tool.dispose();
  });
});
