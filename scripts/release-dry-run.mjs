// A release dry run: applies the pending changesets (`changeset version`) to a copy of the workspace's
// manifests and checks the outcome — every package with a changeset gets the bump the changesets ask for,
// a CHANGELOG.md that quotes them, and internal dependency ranges that follow the new versions.
// Nothing in the repository changes. Run: `node scripts/release-dry-run.mjs`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const copy = mkdtempSync(join(tmpdir(), 'agenticgen-release-dry-run-'));
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const bumpOrder = ['patch', 'minor', 'major'];

function bump(version, kind) {
  const [major, minor, patch] = version.split('.').map(Number);
  if (kind === 'major') return major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  if (kind === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

try {
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  cpSync(join(root, '.changeset'), join(copy, '.changeset'), { recursive: true });
  const manifests = {};
  for (const folder of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, folder))) {
      const manifest = join(root, folder, name, 'package.json');
      if (!existsSync(manifest)) continue;
      mkdirSync(join(copy, folder, name), { recursive: true });
      cpSync(manifest, join(copy, folder, name, 'package.json'));
      const data = readJson(manifest);
      manifests[data.name] = { folder: join(folder, name), data };
    }
  }

  // What the changesets ask for: the highest bump per package.
  const expected = {};
  const summaries = {};
  for (const file of readdirSync(join(root, '.changeset')).filter(
    (name) => name.endsWith('.md') && name !== 'README.md',
  )) {
    const text = readFileSync(join(root, '.changeset', file), 'utf8');
    const [, header = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? [];
    // Package names are YAML keys: bare, "double-quoted" or 'single-quoted' (changesets accepts all three).
    for (const [, name, kind] of header.matchAll(/^["']?([^"':]+)["']?:\s*(patch|minor|major)\s*$/gm)) {
      if (!manifests[name]) throw new Error(`${file} names unknown package ${name}`);
      if (!expected[name] || bumpOrder.indexOf(kind) > bumpOrder.indexOf(expected[name])) expected[name] = kind;
      if (summaries[name] === undefined) summaries[name] = [];
      summaries[name].push(body.trim().split('\n')[0]);
    }
  }
  if (Object.keys(expected).length === 0) {
    console.log('no pending changesets: nothing to release');
    process.exit(0);
  }

  execFileSync(join(root, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: copy, stdio: 'pipe' });

  const failures = [];
  for (const [name, kind] of Object.entries(expected)) {
    const { folder, data } = manifests[name];
    const after = readJson(join(copy, folder, 'package.json'));
    const wanted = bump(data.version, kind);
    if (after.version !== wanted) failures.push(`${name}: expected ${wanted} (${kind}), got ${after.version}`);
    const changelog = join(copy, folder, 'CHANGELOG.md');
    if (!existsSync(changelog)) failures.push(`${name}: no CHANGELOG.md`);
    else {
      const text = readFileSync(changelog, 'utf8');
      if (!text.includes(`## ${wanted}`)) failures.push(`${name}: CHANGELOG.md has no "## ${wanted}" section`);
      for (const line of summaries[name])
        if (!text.includes(line)) failures.push(`${name}: CHANGELOG.md misses "${line}"`);
    }
    console.log(`${name}: ${data.version} → ${after.version} (${kind})`);
  }
  // Internal dependency ranges must accept the new versions, or installs from the registry would break.
  for (const { folder } of Object.values(manifests)) {
    const after = readJson(join(copy, folder, 'package.json'));
    for (const field of ['dependencies', 'peerDependencies']) {
      for (const [dependency, range] of Object.entries(after[field] ?? {})) {
        const target = manifests[dependency] && readJson(join(copy, manifests[dependency].folder, 'package.json'));
        if (target && !after.private && range !== `^${target.version}` && range !== target.version && range !== '*') {
          failures.push(
            `${after.name} ${field}.${dependency} is "${range}" but ${dependency} is now ${target.version}`,
          );
        }
      }
    }
  }
  if (failures.length > 0) {
    console.error(`release dry run failed:\n${failures.join('\n')}`);
    process.exitCode = 1;
  } else console.log('release dry run: versions and changelogs as expected');
} finally {
  rmSync(copy, { recursive: true, force: true });
}
