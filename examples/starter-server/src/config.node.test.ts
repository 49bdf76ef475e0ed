import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgenticGenError } from '@agenticgen/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  const folders: string[] = [];
  const folder = () => {
    const path = mkdtempSync(join(tmpdir(), 'agenticgen-config-'));
    folders.push(path);
    return path;
  };
  afterEach(() => {
    for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
  });

  it('defaults to 127.0.0.1:3000 and generates one token, kept private in the data folder and reused', () => {
    const cwd = folder();
    const first = loadConfig([], {}, cwd);
    expect(first).toMatchObject({ host: '127.0.0.1', port: 3000, dataDir: join(cwd, '.data'), generatedToken: true });
    expect(first.tokens).toHaveLength(1);
    expect(first.tokens[0]?.length).toBeGreaterThanOrEqual(32);
    const file = join(cwd, '.data', 'token');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.tokens[0]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig([], {}, cwd).tokens).toEqual(first.tokens);
  });

  it('takes flags over environment, and tokens from AGENTICGEN_TOKENS', () => {
    const cwd = folder();
    const config = loadConfig(
      ['--port', '4100', '--host', '0.0.0.0', '--data-dir', 'state'],
      {
        PORT: '5000',
        HOST: '10.0.0.1',
        AGENTICGEN_TOKENS: ' alpha-token , beta-token ,',
        AGENTICGEN_REDIS_URL: 'redis://cache:6379',
      },
      cwd,
    );
    expect(config).toMatchObject({
      port: 4100,
      host: '0.0.0.0',
      dataDir: join(cwd, 'state'),
      tokens: ['alpha-token', 'beta-token'],
      generatedToken: false,
      redisUrl: 'redis://cache:6379',
    });
  });

  it('refuses an invalid port and unknown flags with clear errors', () => {
    const cwd = folder();
    let caught: unknown;
    try {
      loadConfig([], { PORT: 'eighty', AGENTICGEN_TOKENS: 'x' }, cwd);
    } catch (error) {
      caught = error;
    }
    expect(AgenticGenError.hasCode(caught, 'invalid-config')).toBe(true);
    expect(() => loadConfig(['--prot', '1'], { AGENTICGEN_TOKENS: 'x' }, cwd)).toThrow(/--prot/);
  });
});
