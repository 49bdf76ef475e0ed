import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256OfJsonArray } from './sha256.js';

async function webCryptoHex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', async () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('equals Web Crypto on every padding boundary and on non-ASCII text', async () => {
    const texts = [55, 56, 63, 64, 65, 119, 120, 1000].map((length) => 'x'.repeat(length));
    texts.push('Grüße, 世界 👋 — "quoted" \u0000 end', 'é'.repeat(10_000), '\u07ff\u0800\uffff\u{10ffff}');
    // Lone surrogate halves are encoded as U+FFFD, as TextEncoder does.
    texts.push('a\ud800b', 'tail \ud83d', '\udc00 head', '\ud83d\ud83d\ude00');
    for (const text of texts) expect(sha256Hex(text)).toBe(await webCryptoHex(text));
  });

  it('hashes a JSON array piece by piece, pausing on long strings, exactly as its JSON text', async () => {
    const long = `${'a'.repeat(4095)}😀 "quoted" \\ \n ${'é'.repeat(5000)}\u0001`;
    const values = ['text', long, { tag: 'x' }, null, 42, [1, 'two']];
    const pauses: number[] = [];
    const digest = await sha256OfJsonArray(
      values,
      async (characters) => {
        pauses.push(characters);
      },
      4096,
    );
    expect(digest).toBe(await webCryptoHex(JSON.stringify(values)));
    expect(pauses.length).toBe(Math.ceil(long.length / 4096));
    expect(pauses[0]).toBe(4095);
  });
});
