// Packs every published package and checks the tarball the way users will get it:
// publint --strict (package.json and files) and @arethetypeswrong/cli (types resolve for ESM consumers).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const destination = mkdtempSync(join(tmpdir(), 'agenticgen-pack-'));
let failures = 0;

for (const name of readdirSync(packagesDir).sort()) {
  const directory = join(packagesDir, name);
  const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], {
    cwd: directory,
    encoding: 'utf8',
  });
  const tarball = join(destination, output.trim().split('\n').pop());
  for (const [label, command, args] of [
    ['publint', bin('publint'), ['--strict', tarball]],
    // ESM-only packages: CommonJS `require` of them is not supported, so use attw's esm-only profile.
    ['attw', bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    try {
      const result = execFileSync(command, args, { cwd: directory, encoding: 'utf8', stdio: 'pipe' });
      console.log(`ok   ${label} @agenticgen/${name}`);
      if (process.env.VERBOSE) console.log(result);
    } catch (error) {
      failures++;
      console.error(`FAIL ${label} @agenticgen/${name}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
rmSync(destination, { recursive: true, force: true });
if (failures > 0) {
  console.error(`${failures} package check(s) failed`);
  process.exit(1);
}
console.log('all package checks passed');
