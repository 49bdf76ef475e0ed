import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the web UI imports core's framework-free chat client (`createChatClient` from `@agenticgen/core/ui`). */
export const chatClientPath = '/vendor/agenticgen/ui.js';

let bundle: Promise<string> | undefined;

/**
 * `@agenticgen/core/ui` as one browser ES module, so the UI (plain modules, no build step) imports the real
 * client. Bundled once with esbuild, from the package's sources in this repository (always current) or from its
 * built `dist/` when installed from npm.
 */
export async function serveChatClient(pathname: string): Promise<Response | undefined> {
  if (pathname !== chatClientPath) return undefined;
  bundle ??= buildBundle();
  let code: string;
  try {
    code = await bundle;
  } catch (error) {
    bundle = undefined;
    throw error;
  }
  return new Response(code, {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' },
  });
}

async function buildBundle(): Promise<string> {
  const packageDir = dirname(fileURLToPath(import.meta.resolve('@agenticgen/core/package.json')));
  const source = join(packageDir, 'src', 'ui', 'index.ts');
  const entry = existsSync(source) ? source : join(packageDir, 'dist', 'ui.js');
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}
