/**
 * WebSocket close codes the gateway uses (RFC 6455 §7.4.1). Clients branch on these: 1008 means "fix your
 * credentials", 1013 "you were too slow, reconnect", 1001 "the server is going away, reconnect elsewhere".
 */
export const closeCodes = {
  /** Normal closure. */
  normal: 1000,
  /** The server is shutting down. */
  goingAway: 1001,
  /** Policy violation: missing, wrong or late authentication. */
  policyViolation: 1008,
  /** A message exceeded the size limit (sent by `ws` itself). */
  messageTooBig: 1009,
  /** The server cannot keep up with this client (its send queue overflowed). */
  tryAgainLater: 1013,
} as const;
