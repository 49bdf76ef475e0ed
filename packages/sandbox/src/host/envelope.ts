/**
 * Everything that comes out of the isolated layer is untrusted: the child process or iframe may be
 * compromised, and Python may have found a way to post. These guards turn raw messages into typed ones or
 * drop them. Only fields we know are copied out; nothing of the sender's objects is kept.
 */
import type { RunResult } from '@agenticgen/core';

/** Largest JSON text accepted from a worker (results and output are capped far below this inside). */
const maxJsonLength = 64 * 1024 * 1024;

/** A message of the isolated layer, after the envelope check. */
export type Envelope =
  | { t: 'message'; w: number; json: string; payload?: Uint8Array }
  | { t: 'exit'; w: number; reason: string }
  | { t: 'configured' }
  | { t: 'configure-failed'; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isWorkerId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

/** Checks the outer envelope; returns undefined for anything malformed. */
export function readEnvelope(raw: unknown): Envelope | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.t) {
    case 'message': {
      if (!isWorkerId(raw.w) || typeof raw.json !== 'string' || raw.json.length > maxJsonLength) return undefined;
      if (raw.payload !== undefined && !(raw.payload instanceof Uint8Array)) return undefined;
      return raw.payload === undefined
        ? { t: 'message', w: raw.w, json: raw.json }
        : { t: 'message', w: raw.w, json: raw.json, payload: raw.payload };
    }
    case 'exit':
      return isWorkerId(raw.w) ? { t: 'exit', w: raw.w, reason: String(raw.reason).slice(0, 1000) } : undefined;
    case 'configured':
      return { t: 'configured' };
    case 'configure-failed':
      return { t: 'configure-failed', message: String(raw.message).slice(0, 2000) };
    default:
      return undefined;
  }
}

/** A message of one worker's runtime, after the JSON check. */
export type RuntimeMessage =
  | { op: 'ready'; heapBytes: number }
  | { op: 'fatal'; message: string }
  | { op: 'output'; id: number; stream: 'stdout' | 'stderr'; text: string }
  | { op: 'reply'; id: number; ok: true; fatal: boolean; value: unknown }
  | { op: 'reply'; id: number; ok: false; error: { code: string; message: string } };

export function readRuntimeMessage(json: string): RuntimeMessage | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(raw)) return undefined;
  switch (raw.op) {
    case 'ready':
      return typeof raw.heapBytes === 'number' ? { op: 'ready', heapBytes: raw.heapBytes } : undefined;
    case 'fatal':
      return { op: 'fatal', message: String(raw.message).slice(0, 2000) };
    case 'output':
      if (!Number.isSafeInteger(raw.id) || typeof raw.text !== 'string') return undefined;
      if (raw.stream !== 'stdout' && raw.stream !== 'stderr') return undefined;
      return { op: 'output', id: raw.id as number, stream: raw.stream, text: raw.text };
    case 'reply': {
      if (!Number.isSafeInteger(raw.id)) return undefined;
      if (raw.ok === true)
        return { op: 'reply', id: raw.id as number, ok: true, fatal: raw.fatal === true, value: raw.value };
      if (raw.ok === false && isRecord(raw.error)) {
        return {
          op: 'reply',
          id: raw.id as number,
          ok: false,
          error: { code: String(raw.error.code).slice(0, 100), message: String(raw.error.message).slice(0, 2000) },
        };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

const string = (value: unknown): value is string => typeof value === 'string';

/** Rebuilds a run reply as a fresh `RunResult`, or undefined when any field has the wrong type. */
export function readRunResult(value: unknown): (RunResult & { heapBytes: number }) | undefined {
  if (!isRecord(value)) return undefined;
  const { ok, truncated, stdout, stderr, durationMs, heapBytes } = value;
  if (typeof ok !== 'boolean' || typeof truncated !== 'boolean' || !string(stdout) || !string(stderr)) return undefined;
  if (typeof durationMs !== 'number' || typeof heapBytes !== 'number') return undefined;
  const result: RunResult & { heapBytes: number } = { ok, stdout, stderr, durationMs, truncated, heapBytes };
  if (value.result !== undefined) {
    const raw = value.result;
    if (!isRecord(raw) || !string(raw.repr) || !isRecord(raw.mime)) return undefined;
    const mime: Record<string, string> = {};
    for (const [type, data] of Object.entries(raw.mime)) {
      if (!string(data) || !/^[\w.+-]+\/[\w.+-]+$/.test(type)) return undefined;
      mime[type] = data;
    }
    result.result = { repr: raw.repr, mime };
  }
  if (value.error !== undefined) {
    const raw = value.error;
    if (!isRecord(raw) || !string(raw.type) || !string(raw.message) || !string(raw.traceback)) return undefined;
    result.error = { type: raw.type, message: raw.message, traceback: raw.traceback };
  }
  if (ok === (result.error !== undefined)) return undefined;
  return result;
}

/** Rebuilds a file listing, or undefined. */
export function readFileList(value: unknown): { path: string; size: number }[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const files: { path: string; size: number }[] = [];
  for (const entry of value) {
    if (!isRecord(entry) || !string(entry.path) || typeof entry.size !== 'number') return undefined;
    files.push({ path: entry.path, size: entry.size });
  }
  return files;
}
