/**
 * SHA-256 (FIPS 180-4) in plain JavaScript, for the knowledge base's content hashes. Web Crypto's digest is
 * asynchronous and pays a thread-pool round trip per call, which made hashing thousands of small documents
 * the largest cost of ingesting them; this runs in place, in Node, browsers and insecure (http) pages alike.
 */
const roundConstants = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const initialState = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const rotate = (value: number, bits: number) => (value >>> bits) | (value << (32 - bits));

/** Runs the 64 rounds over the 64-byte block at `offset`, updating `state`. */
function compress(state: Int32Array, schedule: Int32Array, view: DataView, offset: number): void {
  for (let word = 0; word < 16; word++) schedule[word] = view.getInt32(offset + word * 4);
  for (let word = 16; word < 64; word++) {
    const w15 = schedule[word - 15] as number;
    const w2 = schedule[word - 2] as number;
    const s0 = rotate(w15, 7) ^ rotate(w15, 18) ^ (w15 >>> 3);
    const s1 = rotate(w2, 17) ^ rotate(w2, 19) ^ (w2 >>> 10);
    schedule[word] = ((schedule[word - 16] as number) + s0 + (schedule[word - 7] as number) + s1) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let round = 0; round < 64; round++) {
    const s1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25);
    const choose = (e & f) ^ (~e & g);
    const t1 = (h + s1 + choose + (roundConstants[round] as number) + (schedule[round] as number)) | 0;
    const s0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22);
    const majority = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (s0 + majority) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

/** An incremental SHA-256: `update` with UTF-8 text pieces, then `hex()` once. */
export interface Sha256 {
  update(text: string): void;
  /** The digest as 64 lowercase hex digits; the hasher is finished afterwards. */
  hex(): string;
}

export function createSha256(): Sha256 {
  const state = Int32Array.from(initialState);
  const schedule = new Int32Array(64);
  // Text is UTF-8 encoded straight into one 64-byte block, compressed whenever it fills: no encoder call, no
  // array per update (hashing thousands of small documents paid more for those than for the rounds).
  const block = new Uint8Array(64);
  const view = new DataView(block.buffer);
  let filled = 0;
  let length = 0;
  const put = (byte: number) => {
    block[filled++] = byte;
    if (filled === 64) {
      compress(state, schedule, view, 0);
      filled = 0;
    }
  };
  return {
    update(text) {
      for (let index = 0; index < text.length; index++) {
        let code = text.charCodeAt(index);
        if (code < 0x80) {
          put(code);
          length++;
          continue;
        }
        if (code >= 0xd800 && code <= 0xdfff) {
          const next = text.charCodeAt(index + 1);
          if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
            index++;
          } else code = 0xfffd; // a lone surrogate, as TextEncoder encodes it
        }
        if (code < 0x800) {
          put(0xc0 | (code >>> 6));
          put(0x80 | (code & 0x3f));
          length += 2;
        } else if (code < 0x10000) {
          put(0xe0 | (code >>> 12));
          put(0x80 | ((code >>> 6) & 0x3f));
          put(0x80 | (code & 0x3f));
          length += 3;
        } else {
          put(0xf0 | (code >>> 18));
          put(0x80 | ((code >>> 12) & 0x3f));
          put(0x80 | ((code >>> 6) & 0x3f));
          put(0x80 | (code & 0x3f));
          length += 4;
        }
      }
    },
    hex() {
      // The rest of the message, the 0x80 marker, zero padding and the 64-bit bit length: one or two blocks.
      const tail = new Uint8Array(filled + 9 <= 64 ? 64 : 128);
      tail.set(block.subarray(0, filled));
      tail[filled] = 0x80;
      const tailView = new DataView(tail.buffer);
      tailView.setUint32(tail.length - 8, Math.floor(length / 0x20000000));
      tailView.setUint32(tail.length - 4, (length * 8) >>> 0);
      for (let offset = 0; offset < tail.length; offset += 64) compress(state, schedule, tailView, offset);
      let digest = '';
      for (let word = 0; word < 8; word++) digest += ((state[word] as number) >>> 0).toString(16).padStart(8, '0');
      return digest;
    },
  };
}

/** The SHA-256 digest of `text` (UTF-8 encoded), as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  const hasher = createSha256();
  hasher.update(text);
  return hasher.hex();
}

/**
 * The SHA-256 of `JSON.stringify(values)` for an array, fed piece by piece so a long string inside (a large
 * document) is never escaped or encoded whole: `pause` is awaited after every `sliceCharacters` of it, so
 * hashing can yield to the event loop. Gives exactly `sha256Hex(JSON.stringify(values))`.
 */
export async function sha256OfJsonArray(
  values: readonly unknown[],
  pause: (characters: number) => Promise<void>,
  sliceCharacters: number,
): Promise<string> {
  const hasher = createSha256();
  hasher.update('[');
  for (const [position, value] of values.entries()) {
    if (position > 0) hasher.update(',');
    if (typeof value !== 'string' || value.length <= sliceCharacters) {
      hasher.update(JSON.stringify(value) ?? 'null');
      continue;
    }
    hasher.update('"');
    for (let start = 0; start < value.length; ) {
      let end = Math.min(value.length, start + sliceCharacters);
      // Never between the halves of a surrogate pair: JSON.stringify escapes a lone half.
      const code = value.charCodeAt(end - 1);
      if (end < value.length && code >= 0xd800 && code <= 0xdbff) end--;
      hasher.update(JSON.stringify(value.slice(start, end)).slice(1, -1));
      await pause(end - start);
      start = end;
    }
    hasher.update('"');
  }
  hasher.update(']');
  return hasher.hex();
}
