// `npm start`: builds the packages whose dist is missing or older than their sources, then runs the starter
// server (examples/starter-server) on 127.0.0.1:3000. Flags and env pass through: `npm start -- --port 4000`,
// `PORT=4000 HOST=0.0.0.0 npm start`. Works offline after `npm ci`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `[start] Node ${process.versions.node} is too old: the starter server runs TypeScript directly and needs Node >= 22.18 (24 recommended). After "npm ci", run "npx npm start" or put node_modules/.bin first on PATH.`,
  );
  process.exit(1);
}

/** Newest modification time under `directory` (0 when it does not exist). */
function newest(directory) {
  if (!existsSync(directory)) return 0;
  let latest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.includes('.test.')) continue;
    latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

const packagesDir = join(root, 'packages');
const stale = readdirSync(packagesDir).filter((name) => {
  const directory = join(packagesDir, name);
  if (!existsSync(join(directory, 'tsup.config.ts'))) return false;
  const built = join(directory, 'dist', 'index.js');
  return !existsSync(built) || newest(join(directory, 'src')) > statSync(built).mtimeMs;
});
// core first: the other packages' type declarations refer to it.
stale.sort((a, b) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b)));
for (const name of stale) {
  console.error(`[start] building @agenticgen/${name}…`);
  try {
    execFileSync('npm', ['run', 'build', '--silent', '-w', `packages/${name}`], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {
    // The server reports a feature whose package failed to build as unavailable and keeps the rest working.
    console.error(`[start] @agenticgen/${name} failed to build; its features will be reported unavailable`);
  }
}

const server = spawn(
  process.execPath,
  [join(root, 'examples', 'starter-server', 'src', 'main.ts'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
// Signals go on to the server, which drains and exits; this process exits with it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
// `npm start` runs this under `sh -c`: a SIGTERM to npm kills that shell, which does not pass it on, and this
// process is re-parented (to init or a subreaper) with the server still running. A changed parent means whoever
// started us is gone: stop the server as if we had been sent SIGTERM, so nothing is left orphaned.
const parent = process.ppid;
const watchParent = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watchParent);
  console.error('[start] the process that started the server is gone; stopping the server');
  server.kill('SIGTERM');
}, 250);
watchParent.unref();
