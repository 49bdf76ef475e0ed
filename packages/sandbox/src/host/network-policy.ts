import { AgenticGenError } from '@agenticgen/core';

/** Network the sandbox *host* may use. Python code inside the sandbox never gets network, whatever is set here. */
export interface SandboxNetworkOptions {
  /**
   * The only hosts the sandbox host (the Node process, or the page) may download package files from:
   * `packageBaseUrl`, `lockFileURL` and every wheel the lock file names. Each entry is one exact origin:
   * `"files.example.internal"` or `"127.0.0.1:8123"` (http or https; without a port, the scheme's default
   * port), or `"https://files.example.internal"` to pin the scheme as well. No wildcards, paths or credentials.
   * Default: none — an http(s) package source then fails with `network-not-allowed` before any request. The page's
   * own origin is not implied: list `location.host` to load packages from it. Local package directories (Node)
   * need no entry.
   */
  allowedHosts?: readonly string[];
}

interface AllowedOrigin {
  /** Pinned scheme, or undefined for "http or https". */
  protocol: 'http:' | 'https:' | undefined;
  hostname: string;
  /** Explicit port, or undefined for "the default port of the scheme". */
  port: number | undefined;
}

/** The resolved allow-list: the one place that decides whether the sandbox host may request a URL. */
export interface NetworkPolicy {
  /** The entries as given, for messages and docs. */
  readonly allowedHosts: readonly string[];
  /** Whether `url` is an http(s) URL on an allowed origin. */
  allows(url: URL): boolean;
  /** Throws `network-not-allowed` (naming the URL, the option and the entry to add) unless `allows(url)`. */
  check(url: URL, option: string): void;
}

const defaultPort = (protocol: string) => (protocol === 'https:' ? 443 : 80);

function invalidEntry(index: number, entry: unknown, why: string): AgenticGenError {
  return new AgenticGenError(
    'invalid-config',
    `[sandbox] network.allowedHosts[${index}] ${JSON.stringify(entry) ?? String(entry)} ${why}; write one exact host per entry, e.g. "files.example.internal", "127.0.0.1:8123" or "https://files.example.internal"`,
    { data: { option: 'network.allowedHosts', index } },
  );
}

// [scheme://] host-or-[ipv6] [:port] [/ only after a scheme]. Everything else (paths, queries, user info,
// wildcards, whitespace) is refused outright rather than guessed at.
const entryPattern = /^(?:(https?):\/\/)?(\[[0-9a-f:.]+\]|[^\s/?#@:[\]\\*%]+)(?::(\d{1,5}))?(\/?)$/i;

function parseEntry(entry: unknown, index: number): AllowedOrigin {
  if (typeof entry !== 'string' || entry.length === 0) throw invalidEntry(index, entry, 'is not a non-empty string');
  if (entry.includes('*')) {
    throw invalidEntry(
      index,
      entry,
      'is a wildcard; wildcards are not supported because they let one entry cover hosts you never reviewed',
    );
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(entry)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw invalidEntry(index, entry, `has the scheme "${scheme}:"; only http and https hosts can be allowed`);
  }
  const match = entryPattern.exec(entry);
  if (match === null || (match[4] === '/' && scheme === undefined)) {
    throw invalidEntry(index, entry, 'is not a host[:port] (no path, query, user name or spaces)');
  }
  const [, , host = '', portText] = match;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch (cause) {
    throw invalidEntry(index, entry, `has an invalid host name (${(cause as Error).message})`);
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (port < 1 || port > 65_535) throw invalidEntry(index, entry, 'has a port outside 1–65535');
  }
  return { protocol: scheme === undefined ? undefined : (`${scheme}:` as 'http:' | 'https:'), hostname, port };
}

/** Validates `network.allowedHosts` (throws `invalid-config` for a malformed entry) and returns the policy. */
export function createNetworkPolicy(network: SandboxNetworkOptions | undefined): NetworkPolicy {
  const given = network?.allowedHosts ?? [];
  if (!Array.isArray(given)) {
    throw new AgenticGenError(
      'invalid-config',
      '[sandbox] network.allowedHosts must be an array of hosts, e.g. ["files.example.internal"]',
    );
  }
  const allowedHosts = Object.freeze([...given]) as readonly string[];
  const origins = allowedHosts.map(parseEntry);
  const allows = (url: URL) => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
    return origins.some(
      (origin) =>
        origin.hostname === url.hostname &&
        (origin.protocol === undefined || origin.protocol === url.protocol) &&
        (origin.port ?? defaultPort(origin.protocol ?? url.protocol)) === port,
    );
  };
  return {
    allowedHosts,
    allows,
    check(url, option) {
      if (allows(url)) return;
      const listed = allowedHosts.length === 0 ? 'the allow-list is empty' : `allowed: ${allowedHosts.join(', ')}`;
      throw new AgenticGenError(
        'network-not-allowed',
        `[sandbox] ${option} ${url.href} is not on the network allow-list (${listed}); add "${url.host}" to network.allowedHosts to let the sandbox host download packages from it (Python code never gets network)`,
        { data: { url: url.href, host: url.host, option } },
      );
    },
  };
}
