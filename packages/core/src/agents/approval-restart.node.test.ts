import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBankAgent } from './fixtures/bank-agent.js';

const hooks = fileURLToPath(new URL('./fixtures/ts-source-hooks.mjs', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/resume-child.ts', import.meta.url));

function resumeInChild(
  state: string,
  decision: object,
): Promise<{ pid: number; status: string; text: string; ledger: string[]; runId: string }> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ['--import', hooks, child, JSON.stringify(decision)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    process_.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    process_.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    process_.on('error', reject);
    process_.on('exit', (code) => {
      if (code !== 0) reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim()));
    });
    process_.stdin.end(state);
  });
}

describe('approval across a process restart', () => {
  it('a run suspended here is resumed by a different Node process from the JSON state', async () => {
    const ledger: string[] = [];
    const agent = createBankAgent(
      [{ toolCalls: [{ toolName: 'transfer', input: { to: 'carol', amount: 12 }, toolCallId: 'call-1' }] }],
      ledger,
    );
    const suspended = await agent.run('Send carol 12');
    expect(suspended.status).toBe('suspended');
    const serialized = JSON.stringify(suspended.state);

    const approved = await resumeInChild(serialized, { approved: true });
    expect(approved.pid).not.toBe(process.pid);
    expect(approved.status).toBe('completed');
    expect(approved.runId).toBe(suspended.runId);
    expect(approved.ledger).toEqual(['12 to carol']);
    expect(approved.text).toBe('child saw [{"ok":true,"to":"carol","amount":12}]');

    const denied = await resumeInChild(serialized, { approved: false, reason: 'not today' });
    expect(denied.ledger).toEqual([]);
    expect(denied.text).toContain('tool-denied');
    expect(ledger).toEqual([]);
  });
});
