/**
 * An unmasked, final text frame from server to client (RFC 6455 §5.2) around UTF-8 bytes. The gateway frames
 * a broadcast once and writes the same bytes to every member's socket, instead of framing it once per member.
 * Safe because every data frame the gateway sends goes through here (ws only writes whole control frames:
 * ping, pong, close) and permessage-deflate is off, so ws never holds frames of its own in between.
 */
export function encodeTextFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** A JSON message as a text frame. */
export function encodeJsonFrame(message: unknown): Buffer {
  return encodeTextFrame(Buffer.from(JSON.stringify(message)));
}
