import { existsSync } from 'node:fs';

/**
 * Whether a built file a test needs (a package's `dist/` entry) exists. Missing on a developer's machine, the
 * test is skipped with a loud warning; missing under CI (`CI=true` or `1`), the build step was forgotten, so
 * this throws and the test file fails instead of passing by skipping.
 */
export function builtFileExists(path: string, what: string): boolean {
  if (existsSync(path)) return true;
  const message = `[test] ${what} needs the built package (${path}); run npm run build first`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(message);
  console.warn(`\n\u001b[33m!!! ${message}: SKIPPED\u001b[0m\n`);
  return false;
}
