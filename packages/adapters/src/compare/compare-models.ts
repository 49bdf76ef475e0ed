import {
  AgenticGenError,
  type AnySchema,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  ChatStreamFolder,
  type FinishReason,
  parseJsonAnswer,
  type ResolvedSchema,
  resolveSchema,
  type ValidationIssue,
} from '@agenticgen/core';

export interface CompareModelsOptions {
  /** Models to compare; a record gives them display names, an array uses `provider:modelId`. */
  models: readonly ChatModel[] | Readonly<Record<string, ChatModel>>;
  /** A single user prompt (or give `messages`). */
  prompt?: string;
  /** The conversation to run (or give `prompt`). */
  messages?: ChatMessage[];
  /** Other request settings shared by every model (temperature, maxOutputTokens, tools, …). */
  request?: Omit<ChatRequest, 'messages'>;
  /** Clock in milliseconds (default `performance.now`); inject for deterministic tests. */
  now?: () => number;
  /**
   * Ask every model for structured output with this schema (TypeBox or any Standard Schema) and report whether
   * each answer is a valid object (`validObject`, a "Valid object" column in the table).
   */
  schema?: AnySchema;
}

/** How one model did. Timings in milliseconds; absent figures were not available. */
export interface ModelComparisonResult {
  /** Display name. */
  model: string;
  /** Provider name. */
  provider: string;
  /** Model id the provider reported (or the configured one). */
  modelId: string;
  /** Time to the first content part (text, reasoning or tool call). */
  ttftMs?: number;
  /** Time to the end of the stream (or to the error). */
  latencyMs: number;
  /** Prompt tokens. */
  inputTokens?: number;
  /** Completion tokens. */
  outputTokens?: number;
  /** Estimated cost in US dollars, when the model has a price. */
  costUsd?: number;
  /** The answer text. */
  output: string;
  /** Why the model stopped. */
  finishReason?: FinishReason;
  /** The failure, when the model failed. */
  error?: { code: string; message: string };
  /** With `schema`: whether the answer parsed and validated. */
  validObject?: boolean;
  /** With `schema`: why the answer is not a valid object (at most 5 issues). */
  objectIssues?: ValidationIssue[];
}

export interface ModelComparison {
  /** One result per model, in the order given. */
  results: ModelComparisonResult[];
  /** A markdown table (output truncated to `maxOutputCharacters`, default 80). */
  toMarkdown(options?: {
    maxOutputCharacters?: number;
    /** @deprecated Use `maxOutputCharacters` (it wins when both are given); removed in the next minor release. */
    maxOutputChars?: number;
  }): string;
  /** Plain data for JSON. */
  toJSON(): { results: ModelComparisonResult[] };
}

/** Runs the same conversation on several models concurrently (streaming, to measure time to first token). */
export async function compareModels(options: CompareModelsOptions): Promise<ModelComparison> {
  const messages =
    options.messages ??
    (options.prompt === undefined ? undefined : [{ role: 'user' as const, content: options.prompt }]);
  if (messages === undefined || messages.length === 0) {
    throw new AgenticGenError('invalid-argument', '[adapters:compare] give a prompt or a non-empty messages array');
  }
  const entries: Array<[string, ChatModel]> = Array.isArray(options.models)
    ? (options.models as ChatModel[]).map((model) => [`${model.provider}:${model.modelId}`, model])
    : Object.entries(options.models as Record<string, ChatModel>);
  if (entries.length === 0) throw new AgenticGenError('invalid-argument', '[adapters:compare] give at least one model');
  const now = options.now ?? (() => performance.now());
  const schema =
    options.schema === undefined ? undefined : resolveSchema(options.schema, { scope: 'adapters:compare' });
  const request: ChatRequest = { ...options.request, messages };
  if (schema !== undefined) request.responseFormat = { type: 'json', schema: schema.jsonSchema, name: 'response' };
  const results = await Promise.all(entries.map(([name, model]) => runOne(name, model, request, now, schema)));
  return {
    results,
    toMarkdown: (markdownOptions) =>
      renderMarkdown(
        results,
        markdownOptions?.maxOutputCharacters ?? markdownOptions?.maxOutputChars ?? 80,
        schema !== undefined,
      ),
    toJSON: () => ({ results }),
  };
}

async function runOne(
  name: string,
  model: ChatModel,
  request: ChatRequest,
  now: () => number,
  schema: ResolvedSchema<unknown> | undefined,
): Promise<ModelComparisonResult> {
  const started = now();
  let ttftMs: number | undefined;
  const collector = new ChatStreamFolder({ modelId: model.modelId });
  const result: ModelComparisonResult = {
    model: name,
    provider: model.provider,
    modelId: model.modelId,
    latencyMs: 0,
    output: '',
  };
  try {
    for await (const part of model.stream(request)) {
      if (
        ttftMs === undefined &&
        (part.type === 'text-delta' || part.type === 'reasoning-delta' || part.type === 'tool-call-start')
      ) {
        ttftMs = now() - started;
      }
      collector.add(part);
    }
    const response = collector.response();
    result.modelId = response.modelId;
    result.output = response.text;
    result.finishReason = response.finishReason;
    result.inputTokens = response.usage.inputTokens;
    result.outputTokens = response.usage.outputTokens;
    if (response.costUsd !== undefined) result.costUsd = response.costUsd;
    if (schema !== undefined) {
      const parsed = parseJsonAnswer(response.text);
      const checked = parsed.ok ? await schema.validate(parsed.value) : parsed;
      result.validObject = checked.ok;
      if (!checked.ok) result.objectIssues = checked.issues.slice(0, 5);
    }
  } catch (error) {
    const known = AgenticGenError.isInstance(error) ? error : undefined;
    result.error = { code: known?.code ?? 'internal', message: error instanceof Error ? error.message : String(error) };
  }
  result.latencyMs = round(now() - started);
  if (ttftMs !== undefined) result.ttftMs = round(ttftMs);
  return result;
}

function renderMarkdown(results: ModelComparisonResult[], maxOutputChars: number, withObject: boolean): string {
  const header = `| Model | TTFT (ms) | Latency (ms) | Tokens in | Tokens out | Cost (USD) |${withObject ? ' Valid object |' : ''} Output | Error |`;
  const divider = `| --- | ---: | ---: | ---: | ---: | ---: |${withObject ? ' :---: |' : ''} --- | --- |`;
  const rows = results.map((result) =>
    [
      cell(result.model),
      result.ttftMs === undefined ? '–' : String(result.ttftMs),
      String(result.latencyMs),
      result.inputTokens === undefined ? '–' : String(result.inputTokens),
      result.outputTokens === undefined ? '–' : String(result.outputTokens),
      result.costUsd === undefined ? '–' : `$${result.costUsd.toFixed(6)}`,
      ...(withObject ? [result.validObject === undefined ? '–' : result.validObject ? 'yes' : 'no'] : []),
      cell(truncate(result.output, maxOutputChars)),
      result.error === undefined ? '' : cell(`${result.error.code}: ${truncate(result.error.message, maxOutputChars)}`),
    ].join(' | '),
  );
  return [header, divider, ...rows.map((row) => `| ${row} |`)].join('\n');
}

/** Keeps a table cell on one line and its pipes from splitting the cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function truncate(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
