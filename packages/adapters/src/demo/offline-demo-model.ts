import {
  abortErrorFrom,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatStreamPart,
  collectStream,
  type ToolResultPart,
} from '@agenticgen/core';
import { sleep } from '../shared/retry.js';

/** Names of the tools the offline demo model knows how to call. */
export const offlineDemoToolNames = {
  /** core's knowledge tool (research agent). */
  search: 'search_knowledge',
  /** @agenticgen/sandbox's Python tool. */
  python: 'run_python',
  /** A supervisor's specialists (core's coordination patterns). */
  researcher: 'researcher',
  coder: 'coder',
} as const;

/** Options of `createOfflineDemoModel`. */
export interface OfflineDemoModelOptions {
  /** Pause between streamed words, so a UI shows a real stream (default 10 ms; 0 for none, e.g. in tests). */
  wordDelayMs?: number;
  /**
   * How quoted passages are cited: `ref` (default) cites each by the ref `search_knowledge` returned
   * (`[documentId#chunk]`, what core's `citationsOf` verifies); `numbered` cites `[1]`, `[2]`… and lists the
   * sources after the quotes.
   */
  citations?: 'ref' | 'numbered';
  /**
   * Quote only passages that share a content word with the question (default true). A search always returns
   * its nearest chunks, related or not; a model that cannot read must not quote unrelated ones as answers.
   */
  onlyMatchingPassages?: boolean;
  /** `topK` sent with `search_knowledge` calls; default: the tool's own default. */
  searchTopK?: number;
  /** Added to the answer when the request offers no tools, e.g. how to configure a real model. */
  noToolsHint?: string;
}

/** A passage as `search_knowledge` returns it. */
interface Passage {
  ref?: string;
  source?: string;
  text?: string;
  /** 0-based chunk index (core's research agent says `chunkIndex`). */
  chunk?: number;
  chunkIndex?: number;
}

/** What a Python tool returns: @agenticgen/sandbox's RunResult-like shape, or a tool that flattened it. */
interface PythonRun {
  ok?: boolean;
  stdout?: string;
  stderr?: string;
  result?: string | { repr?: string };
  error?: string | { type?: string; message?: string };
  durationMs?: number;
}

const pythonFence = /```(?:python|py)?[^\n]*\n([\s\S]*?)```/i;

/**
 * The offline demo model: no network and no weights, so apps and examples work without any key. It is not a
 * language model and never pretends to be one: for a question it calls `search_knowledge` and then quotes the
 * best passages verbatim with citations; for Python in a fenced block it calls `run_python` (or, under a
 * supervisor, delegates to `researcher` and `coder`) and reports the sandbox's output. It speaks the
 * `ChatModel` contract exactly (streamed tool calls, usage, finish reason), so agent loops, caches, metrics
 * and UIs treat it like any provider — only its answers say "Offline demo model".
 */
export function createOfflineDemoModel(options: OfflineDemoModelOptions = {}): ChatModel {
  const settings: Settings = {
    wordDelayMs: options.wordDelayMs ?? 10,
    citations: options.citations ?? 'ref',
    onlyMatchingPassages: options.onlyMatchingPassages ?? true,
    searchTopK: options.searchTopK,
    noToolsHint: options.noToolsHint,
  };
  return {
    provider: 'demo',
    modelId: 'offline-demo',
    capabilities: { tools: true, vision: false, structuredOutput: false, streaming: true, contextWindow: 32_000 },
    stream: (request) => streamAnswer(request, settings, settings.wordDelayMs),
    // The complete answer is the stream collected, as core does for every streaming-first model.
    generate: (request) => collectStream(streamAnswer(request, settings, 0), { modelId: 'offline-demo' }),
  };
}

interface Settings {
  wordDelayMs: number;
  citations: 'ref' | 'numbered';
  onlyMatchingPassages: boolean;
  searchTopK: number | undefined;
  noToolsHint: string | undefined;
}

async function* streamAnswer(
  request: ChatRequest,
  settings: Settings,
  wordDelayMs: number,
): AsyncGenerator<ChatStreamPart> {
  const inputTokens = countTokens(request.messages.map(messageText).join(' '));
  yield { type: 'response-start', modelId: 'offline-demo' };
  const toolNames = new Set((request.tools ?? []).map((tool) => tool.name));
  const last = request.messages.at(-1);
  const calls = last?.role === 'user' ? planToolCalls(messageText(last), toolNames, settings) : [];
  if (calls.length > 0) {
    let outputTokens = 0;
    for (const [index, call] of calls.entries()) {
      const json = JSON.stringify(call.input);
      outputTokens += countTokens(json);
      // A deterministic id keeps the follow-up request identical for the same question, so answer caches hit.
      const toolCallId = `call_${hash(`${request.messages.length}:${index}:${call.toolName}:${json}`)}`;
      yield { type: 'tool-call-start', toolCallId, toolName: call.toolName };
      yield { type: 'tool-call-delta', toolCallId, argumentsDelta: json };
      yield { type: 'tool-call-end', toolCallId, toolName: call.toolName, input: call.input };
    }
    yield { type: 'finish', finishReason: 'tool-calls', usage: usage(inputTokens, outputTokens) };
    return;
  }
  const question = request.messages.findLast((message) => message.role === 'user');
  const questionText = question === undefined ? '' : messageText(question).replace(pythonFence, '');
  const answer =
    last?.role === 'tool'
      ? last.content.map((result) => answerFromToolResult(result, questionText, settings)).join('\n\n')
      : fallbackAnswer(toolNames, settings.noToolsHint);
  for (const word of answer.match(/\S+\s*|\s+/g) ?? []) {
    if (request.signal?.aborted) throw abortErrorFrom(request.signal, 'offline-demo-model');
    if (wordDelayMs > 0) await sleep(wordDelayMs, request.signal);
    yield { type: 'text-delta', delta: word };
  }
  yield { type: 'finish', finishReason: 'stop', usage: usage(inputTokens, countTokens(answer)) };
}

/**
 * What the model calls for a user message: Python in a fence goes to `run_python` (or a `coder` specialist),
 * anything else is looked up with `search_knowledge` (or a `researcher`). A supervisor with both specialists
 * gets both calls when the message has a question and code.
 */
function planToolCalls(
  text: string,
  toolNames: ReadonlySet<string>,
  settings: Settings,
): Array<{ toolName: string; input: unknown }> {
  const code = pythonFence.exec(text)?.[1];
  const question = text.replace(pythonFence, '').trim();
  const names = offlineDemoToolNames;
  if (toolNames.has(names.researcher) || toolNames.has(names.coder)) {
    const calls: Array<{ toolName: string; input: unknown }> = [];
    if (question !== '' && toolNames.has(names.researcher))
      calls.push({ toolName: names.researcher, input: { input: question } });
    if (code !== undefined && toolNames.has(names.coder))
      calls.push({ toolName: names.coder, input: { input: `\`\`\`python\n${code}\`\`\`` } });
    return calls;
  }
  if (code !== undefined && toolNames.has(names.python)) return [{ toolName: names.python, input: { code } }];
  if (toolNames.has(names.search) && (question !== '' || code === undefined)) {
    const query = (question || text).slice(0, 2000);
    const input = settings.searchTopK === undefined ? { query } : { query, topK: settings.searchTopK };
    return [{ toolName: names.search, input }];
  }
  return [];
}

function answerFromToolResult(result: ToolResultPart, question: string, settings: Settings): string {
  if (result.isError === true) {
    // Tools report failures as `{ code, message }` or `{ error: { code, message } }`.
    const output = result.output as { code?: string; message?: string; error?: { code?: string; message?: string } };
    const error = output?.error ?? output;
    return `The ${result.toolName} tool failed (${error?.code ?? 'error'}): ${error?.message ?? 'unknown error'}`;
  }
  if (result.toolName === offlineDemoToolNames.python) return answerFromPython(result.output as PythonRun);
  if (result.toolName === offlineDemoToolNames.search) return answerFromPassages(result.output, question, settings);
  if (typeof result.output === 'string') return `The ${result.toolName} reports:\n\n${result.output}`;
  return `The ${result.toolName} tool returned:\n\n${JSON.stringify(result.output, null, 2)}`;
}

function answerFromPassages(output: unknown, question: string, settings: Settings): string {
  const terms = keyTerms(question);
  const passages = ((output as { results?: Passage[] } | undefined)?.results ?? [])
    .filter((passage) => {
      const text = passage.text?.toLowerCase() ?? '';
      if (text.trim() === '') return false;
      return !settings.onlyMatchingPassages || terms.some((term) => text.includes(term));
    })
    .slice(0, 3);
  if (passages.length === 0) {
    return 'The knowledge base has nothing on that yet. Add a document and ask again. (Offline demo model: I only quote what the knowledge base holds.)';
  }
  const heading = 'Offline demo model — quoting the best passages of the knowledge base:';
  if (settings.citations === 'ref') {
    const quotes = passages.map((passage) => `> ${excerpt(passage.text ?? '')} [${passage.ref ?? '?'}]`);
    return `${heading}\n\n${quotes.join('\n\n')}`;
  }
  const quotes = passages.map((passage, index) => `> ${excerpt(passage.text ?? '')} [${index + 1}]`);
  const sources = passages.map((passage, index) => {
    const chunk = passage.chunk ?? passage.chunkIndex;
    const where = chunk === undefined ? '' : ` (passage ${chunk + 1})`;
    return `[${index + 1}] ${passage.source ?? passage.ref ?? 'unknown source'}${where}`;
  });
  return `${heading}\n\n${quotes.join('\n\n')}\n\nSources:\n${sources.join('\n')}`;
}

const stopWords = new Set(
  'what which when where does about that this with from have there their they were will would could should tell explain please know'.split(
    ' ',
  ),
);

/** Content words of the question, cut to a short stem so "tides" also finds "tide" and "baking" finds "bake". */
function keyTerms(question: string): string[] {
  return (question.toLowerCase().match(/\p{L}[\p{L}\p{N}]{3,}/gu) ?? [])
    .filter((word) => !stopWords.has(word))
    .map((word) => word.slice(0, Math.min(5, word.length - 1)));
}

function answerFromPython(run: PythonRun): string {
  const took = typeof run.durationMs === 'number' ? ` (${Math.round(run.durationMs)} ms)` : '';
  const parts = [`Ran your Python in the sandbox${took}.`];
  if (run.stdout) parts.push(`Output:\n\`\`\`\n${run.stdout.trimEnd()}\n\`\`\``);
  const result = typeof run.result === 'string' ? run.result : run.result?.repr;
  if (result !== undefined) parts.push(`Result: \`${result}\``);
  if (run.ok === false && run.error !== undefined) {
    const error = typeof run.error === 'string' ? run.error.trimEnd() : `${run.error.type}: ${run.error.message}`;
    parts.push(`It raised:\n\`\`\`\n${error}\n\`\`\``);
  }
  if (run.stderr) parts.push(`Stderr:\n\`\`\`\n${run.stderr.trimEnd()}\n\`\`\``);
  return parts.join('\n\n');
}

function fallbackAnswer(toolNames: ReadonlySet<string>, noToolsHint: string | undefined): string {
  if (toolNames.size > 0) {
    return 'Offline demo model: ask a question about your documents, or send Python in a ```python fenced block.';
  }
  const answer = 'Offline demo model: no tools are available, so I can neither search the knowledge base nor run code.';
  return noToolsHint === undefined ? answer : `${answer} ${noToolsHint}`;
}

function excerpt(text: string): string {
  // Markdown headings are structure, not content: leave them out of the quote.
  const clean = text
    .replace(/^#{1,6}\s[^\n]*$/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 400 ? `${clean.slice(0, 400).replace(/\s\S*$/, '')} …` : clean;
}

function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((part) => {
      if (part.type === 'text') return part.text;
      if (part.type === 'tool-result') return JSON.stringify(part.output);
      return '';
    })
    .join(' ');
}

/** A rough token count (words and punctuation): the demo's usage figures, labelled as a demo's. */
function countTokens(text: string): number {
  return (text.match(/\w+|[^\s\w]/g) ?? []).length;
}

function usage(inputTokens: number, outputTokens: number) {
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** FNV-1a, 32 bits, as hex. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return (value >>> 0).toString(16).padStart(8, '0');
}
