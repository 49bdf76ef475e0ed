import type { IncomingMessage } from 'node:http';
import { AgenticGenError, type TSchema, type Validator } from '@agenticgen/core';

/**
 * Reads a request body up to `limitBytes`. A declared `content-length` above the limit is refused before
 * reading; a chunked body is cut as soon as it passes the limit, so a client cannot make the server buffer
 * more than the limit.
 */
export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes, declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      request.resume();
      throw tooLarge(limitBytes, size);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(limitBytes: number, size: number): AgenticGenError {
  return new AgenticGenError(
    'payload-too-large',
    `[server] request body too large: limit is ${limitBytes} bytes, got ${size}${size > limitBytes ? '+' : ''}; send a smaller body`,
    { data: { limitBytes } },
  );
}

/** The media type of the request without parameters, lower-cased (`application/json`). */
export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Reads, parses and validates a JSON body; every failure is a 4xx AgenticGenError. */
export async function readJson<T>(
  request: IncomingMessage,
  validator: Validator<T>,
  limitBytes: number,
  what = 'request body',
): Promise<T> {
  const type = mediaType(request);
  if (type !== 'application/json') {
    throw new AgenticGenError(
      'unsupported-media-type',
      `[server] expected Content-Type application/json, got ${JSON.stringify(type || '(none)')}`,
    );
  }
  const raw = await readBody(request, limitBytes);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new AgenticGenError('invalid-json', `[server] the ${what} is not valid JSON: ${(error as Error).message}`);
  }
  return validator.parse(value, { scope: 'server', what });
}

export type { TSchema };
