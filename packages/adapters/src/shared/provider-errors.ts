import { AgenticGenError, type ErrorCode } from '@agenticgen/core';

/**
 * Maps whatever an official SDK throws onto an AgenticGenError. The three SDKs differ in class names but
 * share a shape (`status`, `headers`, `error` body), so the mapping reads the shape instead of importing
 * SDK classes (which would defeat the lazy loading of optional peers).
 */
export function toProviderError(error: unknown, provider: string): AgenticGenError {
  if (AgenticGenError.isInstance(error)) return error;
  const scope = `adapters:${provider}`;
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const name = typeof record.name === 'string' ? record.name : '';
  const constructorName = (record.constructor as { name?: string } | undefined)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof record.status === 'number' ? record.status : statusFromMessage(message);
  const body = bodyOf(record, message);
  const bodyType = body.type;
  const bodyCode = body.code;
  const bodyMessage = body.message ?? message;
  const retryAfterMs = retryAfterFrom(record.headers, body.retryDelay);
  const data: Record<string, unknown> = { provider };
  if (status !== undefined) data.status = status;
  if (bodyType !== undefined) data.providerType = bodyType;
  if (bodyCode !== undefined) data.providerCode = bodyCode;
  if (retryAfterMs !== undefined) data.retryAfterMs = retryAfterMs;
  const requestId = typeof record.requestID === 'string' ? record.requestID : undefined;
  if (requestId !== undefined) data.requestId = requestId;

  const make = (code: ErrorCode, hint: string, retryable?: boolean) =>
    new AgenticGenError(code, `[${scope}] ${bodyMessage}; ${hint}`, {
      cause: error,
      data,
      ...(retryable === undefined ? {} : { retryable }),
    });

  if (/UserAbort|AbortError/.test(name) || /UserAbort/.test(constructorName)) {
    return make('aborted', 'the request was cancelled by its AbortSignal');
  }
  if (/Timeout/.test(name) || /Timeout/.test(constructorName)) {
    return make('timeout', 'raise timeoutMs or check the server');
  }
  const hint = `${bodyType ?? ''} ${bodyCode ?? ''} ${bodyMessage}`.toLowerCase();
  if (
    /context_length|context length|too many tokens|prompt is too long|maximum context|exceeds the context|exceeds the maximum number of tokens/.test(
      hint,
    )
  ) {
    return make('context-length', 'shorten the conversation or pick a model with a larger context window');
  }
  if (/content_filter|content_policy|safety|moderation/.test(hint) && (status === undefined || status === 400)) {
    return make('content-filter', 'the provider refused the content; rephrase the request');
  }
  if (bodyType === 'overloaded_error' || status === 529 || bodyCode === 'overloaded') {
    return make('overloaded', 'the provider is overloaded; retry later or fall back to another model');
  }
  if (
    bodyType === 'rate_limit_error' ||
    status === 429 ||
    bodyCode === 'RESOURCE_EXHAUSTED' ||
    bodyCode === 'rate_limit_exceeded'
  ) {
    // A spent quota does not heal by waiting a few seconds.
    const quota = /insufficient_quota|billing/.test(hint);
    return make(
      'rate-limit',
      quota ? 'the account quota is used up; check billing' : 'slow down or raise the limit',
      !quota,
    );
  }
  if (bodyType === 'authentication_error' || status === 401 || /api_key_invalid|invalid_api_key/.test(hint)) {
    return make('authentication', 'check the API key (apiKey option or the provider environment variable)');
  }
  if (bodyType === 'permission_error' || status === 403) {
    return make('permission-denied', 'the key lacks access to this model or resource');
  }
  if (status === 408) return make('timeout', 'the provider timed out the request; retry');
  if (status === 503) return make('overloaded', 'the service is unavailable; retry later');
  if (bodyType === 'api_error' || bodyCode === 'server_error' || (status !== undefined && status >= 500)) {
    return make('server', 'the provider failed; the request may be retried');
  }
  if (status !== undefined && status >= 400) {
    return make('invalid-request', 'fix the request (model id, parameters, message shapes)');
  }
  if (name === 'SyntaxError' || error instanceof SyntaxError) {
    return make('invalid-response', 'the provider sent data that is not valid JSON');
  }
  if (
    /Connection|fetch failed|terminated|network|socket|ECONN|other side closed/i.test(
      `${name} ${constructorName} ${message}`,
    )
  ) {
    return make('network', 'check connectivity and the base URL; the request may be retried');
  }
  if (error instanceof TypeError) return make('network', 'the connection failed; the request may be retried');
  return make('invalid-response', 'the provider answered in an unexpected way');
}

/**
 * A successful answer whose shape our mapping cannot read (a proxy that is not faithful, an API change):
 * not retryable, since the same request gets the same body. `detail` is our own description or a mapping
 * error's message, cut short so a hostile body is never echoed at length.
 */
export function unreadableAnswer(provider: string, detail: unknown): AgenticGenError {
  const text = detail instanceof Error ? detail.message : String(detail);
  const short = text.length > 160 ? `${text.slice(0, 160)}…` : text;
  return new AgenticGenError(
    'invalid-response',
    `[adapters:${provider}] the provider's answer has an unexpected shape (${short}); check that baseURL points at the provider's API or a faithful proxy`,
    { ...(detail instanceof Error ? { cause: detail } : {}), data: { provider } },
  );
}

interface ErrorBody {
  type?: string;
  code?: string;
  message?: string;
  retryDelay?: string;
}

/** Pulls `type`, `code` and `message` out of the provider's error body, wherever the SDK put it. */
function bodyOf(record: Record<string, unknown>, message: string): ErrorBody {
  const candidates: unknown[] = [record.error, record.type === undefined ? undefined : record];
  // Gemini's ApiError keeps the body only inside its message: `got status: 429 … {"error":{…}}`.
  const jsonStart = message.indexOf('{');
  if (jsonStart >= 0) {
    try {
      candidates.push(JSON.parse(message.slice(jsonStart)));
    } catch {
      // Not JSON: the message alone is used.
    }
  }
  for (const candidate of candidates) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    let inner = candidate as Record<string, unknown>;
    if (typeof inner.error === 'object' && inner.error !== null) inner = inner.error as Record<string, unknown>;
    const result: ErrorBody = {};
    const type = inner.type ?? inner.status;
    if (typeof type === 'string') result.type = type;
    const code = inner.code;
    if (typeof code === 'string') result.code = code;
    else if (typeof inner.status === 'string') result.code = inner.status;
    if (typeof inner.message === 'string') result.message = inner.message;
    const details = Array.isArray(inner.details) ? (inner.details as Array<Record<string, unknown>>) : [];
    const retryInfo = details.find((detail) => typeof detail.retryDelay === 'string');
    if (retryInfo !== undefined) result.retryDelay = retryInfo.retryDelay as string;
    if (result.type !== undefined || result.code !== undefined || result.message !== undefined) return result;
  }
  return {};
}

function statusFromMessage(message: string): number | undefined {
  const match = /got status: (\d{3})/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `retry-after-ms`, `retry-after` (seconds or HTTP date), or Gemini's RetryInfo `"2s"`, in milliseconds. */
export function retryAfterFrom(headers: unknown, retryDelay?: string): number | undefined {
  const get = (name: string): string | null | undefined => {
    if (headers === undefined || headers === null) return undefined;
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  };
  const milliseconds = get('retry-after-ms');
  if (milliseconds != null && Number.isFinite(Number(milliseconds))) return Math.max(0, Number(milliseconds));
  const after = get('retry-after');
  if (after != null && after.trim() !== '') {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  if (retryDelay !== undefined) {
    const match = /^([\d.]+)s$/.exec(retryDelay);
    if (match?.[1] !== undefined) return Number(match[1]) * 1000;
  }
  return undefined;
}
