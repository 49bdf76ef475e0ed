import { AgenticGenError } from '@agenticgen/core';

/** One file to make available to Pyodide's package loader, checked against the lock file's hash. */
export interface PackageFile {
  fileName: string;
  sha256: string;
  /** Top-level modules the package provides (imported into the snapshot). */
  imports: string[];
}

interface LockPackage {
  name?: unknown;
  file_name?: unknown;
  sha256?: unknown;
  depends?: unknown;
  imports?: unknown;
}

const canonical = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/**
 * Resolves package names against a Pyodide lock file (with their dependencies) to the files Pyodide will ask
 * for. Fails with `dependency-missing` for unknown names and with `invalid-config` for files that would be
 * downloaded from elsewhere (absolute URLs): the sandbox never fetches from a CDN.
 */
export function resolvePackageFiles(lockText: string, names: readonly string[]): PackageFile[] {
  let lock: { packages?: Record<string, LockPackage> };
  try {
    lock = JSON.parse(lockText);
  } catch (cause) {
    throw new AgenticGenError('invalid-config', '[sandbox] the lock file is not valid JSON; check lockFileURL', {
      cause,
    });
  }
  const packages = lock.packages ?? {};
  const byName = new Map(Object.entries(packages).map(([key, entry]) => [canonical(key), entry]));
  const files: PackageFile[] = [];
  const seen = new Set<string>();
  const visit = (name: string, requiredBy?: string) => {
    const key = canonical(name);
    if (seen.has(key)) return;
    seen.add(key);
    const entry = byName.get(key);
    if (entry === undefined) {
      throw new AgenticGenError(
        'dependency-missing',
        `[sandbox] package "${name}"${requiredBy ? ` (needed by "${requiredBy}")` : ''} is not in the lock file; add it to the lock file given as lockFileURL`,
        { data: { package: name } },
      );
    }
    const fileName = entry.file_name;
    if (typeof fileName !== 'string' || typeof entry.sha256 !== 'string' || /[:/\\]/.test(fileName)) {
      throw new AgenticGenError(
        'invalid-config',
        `[sandbox] package "${name}" must have a plain file_name and a sha256 in the lock file (the sandbox loads packages only from packageBaseUrl)`,
      );
    }
    const imports = Array.isArray(entry.imports)
      ? entry.imports.filter((item): item is string => typeof item === 'string')
      : [];
    files.push({ fileName, sha256: entry.sha256.toLowerCase(), imports });
    for (const dependency of Array.isArray(entry.depends) ? entry.depends : []) visit(String(dependency), name);
  };
  for (const name of names) visit(name);
  return files;
}
