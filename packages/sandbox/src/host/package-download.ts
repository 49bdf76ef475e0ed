import { AgenticGenError } from '@agenticgen/core';
import type { NetworkPolicy } from './network-policy.js';
import type { PackageFile } from './packages.js';

/** Whether a package source is a network URL (then governed by `network.allowedHosts`). */
export const isHttpUrl = (value: string) => /^https?:/i.test(value);

/** `value` as a directory URL (trailing slash), so file names resolve inside it. */
export function directoryUrl(value: string, base?: string): URL {
  return new URL(value.endsWith('/') ? value : `${value}/`, base);
}

/**
 * The URL of the package option `option` (`lockFileURL`, or the directory `packageBaseUrl` when `directory`),
 * resolved against `base`; `invalid-config` when it is not a URL.
 */
export function packageSourceUrl(option: string, value: string, directory: boolean, base?: string): URL {
  try {
    return directory ? directoryUrl(value, base) : new URL(value, base);
  } catch (cause) {
    throw new AgenticGenError('invalid-config', `[sandbox] ${option} "${value}" is not a URL`, { cause });
  }
}

/**
 * Downloads one file for the sandbox host after checking it against the allow-list. Redirects are refused:
 * following one would let an allowed host send the request to a host nobody allowed.
 */
export async function downloadAllowed(url: URL, option: string, policy: NetworkPolicy): Promise<Uint8Array> {
  policy.check(url, option);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'error' });
  } catch (cause) {
    throw new AgenticGenError(
      'network',
      `[sandbox] could not download ${url.href} (${option}): ${(cause as Error)?.message ?? String(cause)}; check that the host is reachable — redirects are not followed, so point ${option} at the final location`,
      { cause, data: { url: url.href, option } },
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AgenticGenError(
      'dependency-missing',
      `[sandbox] could not download ${url.href} (HTTP ${response.status}); check ${option}`,
      { data: { url: url.href, option, status: response.status } },
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Downloads the lock file's package files from `base`, each checked against its sha256. Every URL is checked
 * against the allow-list before the first request, so a refused one costs no request at all.
 */
export async function downloadPackageFiles(
  files: readonly PackageFile[],
  base: URL,
  policy: NetworkPolicy,
): Promise<Record<string, Uint8Array>> {
  const urls = files.map((file) => new URL(file.fileName, base));
  for (const url of urls) policy.check(url, 'packageBaseUrl');
  const downloaded: Record<string, Uint8Array> = {};
  await Promise.all(
    files.map(async (file, index) => {
      const bytes = await downloadAllowed(urls[index] as URL, 'packageBaseUrl', policy);
      if ((await sha256Hex(bytes)) !== file.sha256) {
        throw new AgenticGenError(
          'invalid-config',
          `[sandbox] ${file.fileName} from ${base.href} does not match the sha256 of the lock file; fix the lock file or the file`,
        );
      }
      downloaded[file.fileName] = bytes;
    }),
  );
  return downloaded;
}
