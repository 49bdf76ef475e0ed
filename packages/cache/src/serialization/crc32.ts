/**
 * CRC-32 (IEEE 802.3): detects torn or bit-flipped L2 entries before they are decoded. Slicing-by-8 (eight
 * 256-entry tables, eight bytes per step) gives the same checksum as the classic byte-at-a-time loop at about a
 * third of its cost, which matters on every L2 read: the checksum covers the whole stored body.
 */
const tables = (() => {
  const result = new Uint32Array(8 * 256);
  for (let index = 0; index < 256; index++) {
    let value = index;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    result[index] = value >>> 0;
  }
  // Table k maps a byte to its CRC contribution k bytes further back in the stream.
  for (let index = 0; index < 256; index++) {
    let value = result[index] as number;
    for (let slice = 1; slice < 8; slice++) {
      value = (result[value & 0xff] as number) ^ (value >>> 8);
      result[slice * 256 + index] = value;
    }
  }
  return result;
})();

export function crc32(bytes: Uint8Array): number {
  const t = tables;
  let crc = -1;
  let index = 0;
  const whole = bytes.length - (bytes.length % 8);
  for (; index < whole; index += 8) {
    const low =
      crc ^
      ((bytes[index] as number) |
        ((bytes[index + 1] as number) << 8) |
        ((bytes[index + 2] as number) << 16) |
        ((bytes[index + 3] as number) << 24));
    crc =
      (t[1792 + (low & 0xff)] as number) ^
      (t[1536 + ((low >>> 8) & 0xff)] as number) ^
      (t[1280 + ((low >>> 16) & 0xff)] as number) ^
      (t[1024 + (low >>> 24)] as number) ^
      (t[768 + (bytes[index + 4] as number)] as number) ^
      (t[512 + (bytes[index + 5] as number)] as number) ^
      (t[256 + (bytes[index + 6] as number)] as number) ^
      (t[bytes[index + 7] as number] as number);
  }
  for (; index < bytes.length; index++) {
    crc = (t[(crc ^ (bytes[index] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ -1) >>> 0;
}
