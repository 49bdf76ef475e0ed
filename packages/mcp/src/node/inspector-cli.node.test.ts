import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConformanceServer } from '../testing/conformance-fixture-server.js';
import { startHttpFixture } from '../testing/http-fixture-server.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// The bin `npx @modelcontextprotocol/inspector` runs, installed as a dev dependency (no download at test time).
const inspectorBin = here('../../../../node_modules/.bin/mcp-inspector');
const ourStdioServer = [
  process.execPath,
  here('../testing/run-source.mjs'),
  here('./bin.ts'),
  'serve',
  '--config',
  here('./fixtures/serve-config.ts'),
];

/** Runs `mcp-inspector --cli …` and parses the JSON it prints. */
function inspector(args: string[]): Promise<{ code: number | null; json: unknown; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(inspectorBin, ['--cli', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, json, output: `${stdout}\n${stderr}`.slice(-4_000) });
    });
  });
}

describe('MCP Inspector CLI against our server', () => {
  it('lists the tools of `agenticgen-mcp serve` over stdio', { timeout: 60_000 }, async () => {
    const run = await inspector(['--method', 'tools/list', '--', ...ourStdioServer]);
    expect(run.code, run.output).toBe(0);
    expect(run.json).toEqual({
      tools: [
        {
          name: 'shout',
          description: 'Upper-cases a text.',
          inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
        },
      ],
    });
  });

  it('calls a tool over stdio; a bad argument comes back as an isError result', { timeout: 60_000 }, async () => {
    const run = await inspector([
      '--method',
      'tools/call',
      '--tool-name',
      'shout',
      '--tool-arg',
      'text=hello',
      '--',
      ...ourStdioServer,
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.json).toEqual({ content: [{ type: 'text', text: 'HELLO' }] });
    const bad = await inspector([
      '--method',
      'tools/call',
      '--tool-name',
      'shout',
      '--tool-arg',
      'text=7',
      '--',
      ...ourStdioServer,
    ]);
    // The inspector parses `7` as a number; core rejects it before `execute`.
    expect(bad.json).toMatchObject({ isError: true, structuredContent: { code: 'tool-invalid-arguments' } });
  });

  describe('over Streamable HTTP', () => {
    let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
    beforeAll(async () => {
      fixture = await startHttpFixture(await createConformanceServer());
    });
    afterAll(() => fixture.close());

    it('reads a resource and gets a prompt with arguments', { timeout: 60_000 }, async () => {
      const read = await inspector([
        fixture.urls.streamable,
        '--method',
        'resources/read',
        '--uri',
        'test://template/7/data',
      ]);
      expect(read.code, read.output).toBe(0);
      expect(read.json).toEqual({
        contents: [
          {
            uri: 'test://template/7/data',
            mimeType: 'application/json',
            text: '{"id":"7","templateTest":true,"data":"Data for ID: 7"}',
          },
        ],
      });
      const prompt = await inspector([
        fixture.urls.streamable,
        '--method',
        'prompts/get',
        '--prompt-name',
        'test_prompt_with_arguments',
        '--prompt-args',
        'arg1=a',
        'arg2=b',
      ]);
      expect(prompt.code, prompt.output).toBe(0);
      expect(prompt.json).toMatchObject({
        messages: [{ role: 'user', content: { type: 'text', text: "Prompt with arguments: arg1='a', arg2='b'" } }],
      });
    });
  });
});
