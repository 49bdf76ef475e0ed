import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Identifies a presented token among the configured ones in constant time: both sides are hashed first so
 * the comparison never depends on the length or the content of a secret, and every configured token is
 * compared (no early exit) so the time does not reveal which one matched. Returns a stable key for the
 * token (`token-0`, `token-1`, …: never the secret) by which per-token limits are kept, or undefined.
 */
export function createTokenIdentifier(
  tokens: readonly string[],
): (candidate: string | undefined | null) => string | undefined {
  const digests = tokens.filter((token) => token.length > 0).map(digest);
  return (candidate) => {
    if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 4096) return undefined;
    const presented = digest(candidate);
    let matched: number | undefined;
    digests.forEach((expected, index) => {
      if (timingSafeEqual(presented, expected) && matched === undefined) matched = index;
    });
    return matched === undefined ? undefined : `token-${matched}`;
  };
}

/** Checks a presented token against the configured ones in constant time. */
export function createTokenVerifier(tokens: readonly string[]): (candidate: string | undefined | null) => boolean {
  const identify = createTokenIdentifier(tokens);
  return (candidate) => identify(candidate) !== undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (header === undefined || header === null) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
