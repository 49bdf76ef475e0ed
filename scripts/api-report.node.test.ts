import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = new URL('./api-report.mjs', import.meta.url).pathname;
const run = promisify(execFile);

/** Runs the report script on the scratch workspace; resolves with its exit code and output. */
async function report(root: string, ...flags: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, '--root', root, ...flags]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const browserTypes = `declare function createThing(options: { size: number }): Thing;
interface Thing {
  /** Items held. */
  readonly size: number;
  /** @deprecated use size */
  readonly length?: number;
}
/** @deprecated use createThing */
declare const thing: typeof createThing;
export { type Thing, createThing, thing };
`;
const nodeTypes = `export * from './index.js';
export declare function createFileThing(path: string): Promise<void>;
`;

describe('api-report', () => {
  let root: string;
  const dist = (file: string) => join(root, 'packages/demo/dist', file);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'api-report-'));
    mkdirSync(join(root, 'packages/demo/dist'), { recursive: true });
    writeFileSync(
      join(root, 'packages/demo/package.json'),
      JSON.stringify({
        name: '@example/demo',
        exports: {
          '.': { node: { types: './dist/index.node.d.ts' }, types: './dist/index.d.ts' },
          './package.json': './package.json',
        },
      }),
    );
    writeFileSync(dist('index.d.ts'), browserTypes);
    writeFileSync(dist('index.node.d.ts'), nodeTypes);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes one report per entry and condition, and the check passes on an unchanged build', async () => {
    expect(await report(root)).toMatchObject({ code: 0, output: expect.stringContaining('wrote 2 reports') });
    const browser = readFileSync(join(root, 'packages/demo/api/index.api.md'), 'utf8');
    expect(browser).toContain('declare function createThing(options: {');
    expect(browser).toContain('/** @deprecated */\ndeclare const thing: typeof createThing;');
    // Doc comments are left out, except the deprecation marker of an export or a member.
    expect(browser).toContain(
      'interface Thing {\n    readonly size: number;\n    /** @deprecated */\n    readonly length?: number;\n}',
    );
    const node = readFileSync(join(root, 'packages/demo/api/index.node.api.md'), 'utf8');
    expect(node).toContain('condition `node`');
    expect(node).toContain('// createFileThing');
    expect(await report(root, '--check')).toMatchObject({ code: 0 });
  });

  it('fails when an export is removed, added or its declaration changes, naming each', async () => {
    await report(root);
    writeFileSync(
      dist('index.d.ts'),
      browserTypes
        .replace('options: { size: number }', 'options: { size: number; name?: string }')
        .replace(
          'export { type Thing, createThing, thing };',
          'export { type Thing, createThing };\nexport declare const extra: 1;\nexport declare const more: 2;',
        ),
    );
    const result = await report(root, '--check');
    expect(result.code).toBe(1);
    expect(result.output).toContain('packages/demo/api/index.api.md differs');
    expect(result.output).toContain('+ extra (new export)');
    expect(result.output).toContain('- thing (no longer exported)');
    expect(result.output).toContain('~ createThing (declaration changed)');
    // The first export's block shares the file with the header (whose export count moved): not a change.
    expect(result.output).not.toContain('~ Thing ');
    expect(result.output).toContain('npm run api:update');
  });

  it('fails when the node entry lacks a value of the default entry', async () => {
    writeFileSync(dist('index.node.d.ts'), "export { type Thing, createThing } from './index.js';\n");
    const result = await report(root);
    expect(result.code).toBe(1);
    expect(result.output).toContain('@example/demo (., node) lacks thing, exported by the default entry');
  });

  it('fails on a committed report whose entry left the exports map, and asks for a build when dist is missing', async () => {
    await report(root);
    writeFileSync(join(root, 'packages/demo/api/old.api.md'), 'stale');
    expect((await report(root, '--check')).output).toContain('old.api.md reports an entry that is not in "exports"');
    rmSync(dist('index.node.d.ts'));
    const result = await report(root, '--check');
    expect(result.code).toBe(1);
    expect(result.output).toContain('demo/dist/index.node.d.ts not found: run `npm run build` first');
  });
});
