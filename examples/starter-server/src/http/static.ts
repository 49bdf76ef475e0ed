import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/**
 * Serves the UI from `root`. `pathname` is already percent-decoded; it is normalised and must stay inside
 * `root` (no `..` escapes); unknown paths without an extension fall back to index.html so deep links work.
 */
export async function serveStatic(root: string, pathname: string): Promise<Response | undefined> {
  const relative = normalize(pathname).replace(/^(\.\.[/\\])+/, '');
  const candidate = join(root, relative === '/' || relative === '' ? 'index.html' : relative);
  if (!candidate.startsWith(root + sep) && candidate !== root) return undefined;
  const file = extname(candidate) === '' ? join(root, 'index.html') : candidate;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return undefined;
  }
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      // The content security policy (frame-ancestors 'none') and nosniff come from secureHeaders, for every response.
      'cache-control': 'no-cache',
    },
  });
}

/** Browser files of npm packages the UI loads, by URL prefix → the package's folder of built files. */
const vendorFolders: ReadonlyArray<[prefix: string, folder: string]> = [
  ['/vendor/uplot/', dirname(fileURLToPath(import.meta.resolve('uplot')))],
];

/** Serves `/vendor/<package>/<file>` from that package's built files, with the same checks and headers. */
export async function serveVendorFile(pathname: string): Promise<Response | undefined> {
  const match = vendorFolders.find(([prefix]) => pathname.startsWith(prefix));
  if (match === undefined) return undefined;
  const [prefix, folder] = match;
  return serveStatic(folder, `/${pathname.slice(prefix.length)}`);
}
