import type { ErrorCodeTable } from '@agenticgen/core';

/** The codes the starter server adds to AgenticGen's (an app declares its own the same way packages do). */
export const starterServerErrorCodes = {
  'invalid-json': { retryable: false, meaning: 'the request body is not valid JSON' },
  'route-not-found': { retryable: false, meaning: 'no route matches the path' },
  'method-not-allowed': { retryable: false, meaning: 'the route exists but not for this HTTP method' },
  'payload-too-large': { retryable: false, meaning: 'the request body is larger than the limit' },
  'unsupported-media-type': {
    retryable: false,
    meaning: 'the request body has a content type the route does not read',
  },
  'feature-unavailable': {
    retryable: true,
    meaning: 'an optional feature (Redis, a model key) is not configured or not reachable',
  },
  'shutting-down': { retryable: true, meaning: 'the server is draining and takes no new runs' },
  unavailable: { retryable: true, meaning: 'a dependency the request needs is down' },
} as const satisfies ErrorCodeTable;

export type StarterServerErrorCode = keyof typeof starterServerErrorCodes;

declare module '@agenticgen/core' {
  /** Declares the server's codes, so `new AgenticGenError(code, …)` accepts them. */
  interface ErrorCodeRegistry extends Record<StarterServerErrorCode, true> {}
}
