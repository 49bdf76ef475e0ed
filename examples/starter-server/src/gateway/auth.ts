import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks a presented token against the configured ones in constant time. Both sides are hashed first so the
 * comparison never depends on the length or the content of a secret, and every configured token is compared
 * (no early exit) so the time does not reveal which one matched.
 */
export function createTokenVerifier(tokens: readonly string[]): (candidate: string | undefined | null) => boolean {
  const digests = tokens.filter((token) => token.length > 0).map(digest);
  return (candidate) => {
    if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 4096) return false;
    const presented = digest(candidate);
    let matched = false;
    for (const expected of digests) matched = timingSafeEqual(presented, expected) || matched;
    return matched;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
