import { AgenticGenError, type ImagePart } from '@agenticgen/core';

/** An image as providers take it: inline base64 with a media type, or a remote URL. */
export type ResolvedImage = { kind: 'base64'; data: string; mediaType: string } | { kind: 'url'; url: string };

/** Normalises an ImagePart (bytes, data URL or https URL). */
export function resolveImage(part: ImagePart, scope: string): ResolvedImage {
  if (typeof part.image === 'string') {
    const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(part.image);
    if (dataUrl?.[1] !== undefined && dataUrl[2] !== undefined) {
      return { kind: 'base64', mediaType: dataUrl[1], data: dataUrl[2] };
    }
    if (/^https?:\/\//.test(part.image)) return { kind: 'url', url: part.image };
    throw new AgenticGenError(
      'invalid-argument',
      `[${scope}] an image must be bytes, a base64 data: URL or an http(s) URL; got a string starting "${part.image.slice(0, 16)}"`,
    );
  }
  if (part.mediaType === undefined) {
    throw new AgenticGenError(
      'invalid-argument',
      `[${scope}] an image given as bytes needs mediaType (e.g. "image/png")`,
    );
  }
  return { kind: 'base64', mediaType: part.mediaType, data: bytesToBase64(part.image) };
}

/** The image as a URL (data: URL for inline bytes). */
export function imageUrl(part: ImagePart, scope: string): string {
  return resolvedImageUrl(resolveImage(part, scope));
}

/** A resolved image as a URL: its own, or a data: URL for inline bytes. */
export function resolvedImageUrl(image: ResolvedImage): string {
  return image.kind === 'url' ? image.url : `data:${image.mediaType};base64,${image.data}`;
}

/** Base64 without Node's Buffer, so the same code runs in the browser. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument list far below engine limits.
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return btoa(binary);
}

/** Tool output as the text the providers expect in a tool-result message. */
export function toolOutputText(output: unknown): string {
  if (typeof output === 'string') return output;
  return JSON.stringify(output ?? null);
}
