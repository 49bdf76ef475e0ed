import type { ChatMessage, ChatModel, ChatRequest, ChatStreamPart, ToolResultPart } from '@agenticgen/core';
import { abortErrorFrom, collectStream } from '@agenticgen/core';

/** Names of the tools the demo model knows how to use. */
export const demoToolNames = {
  search: 'search_knowledge',
  python: 'run_python',
  researcher: 'researcher',
  coder: 'coder',
} as const;

export interface DemoModelOptions {
  /** Pause between streamed words, so the UI shows a real stream (default 15 ms; 0 in tests). */
  wordDelayMs?: number;
}

/** A passage as the `search_knowledge` tool returns it. */
interface Passage {
  source: string;
  text: string;
  score?: number;
  /** 0-based chunk index (`chunkIndex` in core's research agent). */
  chunk?: number;
  chunkIndex?: number;
}

const pythonFence = /```(?:python|py)[^\n]*\n([\s\S]*?)```/i;

/**
 * The offline demo model: no network, no weights. It answers questions by calling `search_knowledge` and
 * quoting the best passages with numbered citations, and runs Python the user sends in a fenced block through
 * `run_python`. It speaks the ChatModel contract exactly (streamed tool calls, usage, finish), so the agent
 * loop, the UI and the metrics treat it like any provider — only the labels say "offline demo".
 */
export function createDemoModel(options: DemoModelOptions = {}): ChatModel {
  const wordDelayMs = options.wordDelayMs ?? 15;
  return {
    provider: 'demo',
    modelId: 'offline-demo',
    capabilities: { tools: true, vision: false, structuredOutput: false, streaming: true, contextWindow: 32_000 },
    stream: (request) => streamDemo(request, wordDelayMs),
    // The complete answer is the stream collected, as core does for every streaming-first model.
    generate: (request) => collectStream(streamDemo(request, 0), { modelId: 'offline-demo' }),
  };
}

async function* streamDemo(request: ChatRequest, wordDelayMs: number): AsyncGenerator<ChatStreamPart> {
  const inputTokens = countTokens(request.messages.map(messageText).join(' '));
  yield { type: 'response-start', modelId: 'offline-demo' };
  const toolNames = new Set((request.tools ?? []).map((tool) => tool.name));
  const last = request.messages.at(-1);
  if (last?.role === 'user') {
    const calls = planToolCalls(messageText(last), toolNames);
    if (calls.length > 0) {
      let outputTokens = 0;
      for (const call of calls) {
        const toolCallId = `call_${crypto.randomUUID().slice(0, 8)}`;
        const json = JSON.stringify(call.input);
        outputTokens += countTokens(json);
        yield { type: 'tool-call-start', toolCallId, toolName: call.toolName };
        yield { type: 'tool-call-delta', toolCallId, argumentsDelta: json };
        yield { type: 'tool-call-end', toolCallId, toolName: call.toolName, input: call.input };
      }
      yield { type: 'finish', finishReason: 'tool-calls', usage: usage(inputTokens, outputTokens) };
      return;
    }
  }
  const answer = last?.role === 'tool' ? answerFromToolResults(last.content) : fallbackAnswer(toolNames);
  for (const word of answer.match(/\S+\s*|\s+/g) ?? []) {
    if (request.signal?.aborted) throw abortErrorFrom(request.signal, 'demo-model');
    if (wordDelayMs > 0) await sleep(wordDelayMs, request.signal);
    yield { type: 'text-delta', delta: word };
  }
  yield { type: 'finish', finishReason: 'stop', usage: usage(inputTokens, countTokens(answer)) };
}

/**
 * What the demo model calls for a user message: Python in a fence goes to `run_python` (or a `coder`
 * specialist), anything else is looked up with `search_knowledge` (or a `researcher`). A supervisor with both
 * specialists gets both calls when the message has a question and code.
 */
function planToolCalls(text: string, toolNames: ReadonlySet<string>): Array<{ toolName: string; input: unknown }> {
  const code = pythonFence.exec(text)?.[1];
  const question = text.replace(pythonFence, '').trim();
  const calls: Array<{ toolName: string; input: unknown }> = [];
  if (toolNames.has(demoToolNames.researcher) || toolNames.has(demoToolNames.coder)) {
    if (question !== '' && toolNames.has(demoToolNames.researcher)) {
      calls.push({ toolName: demoToolNames.researcher, input: { input: question } });
    }
    if (code !== undefined && toolNames.has(demoToolNames.coder)) {
      calls.push({ toolName: demoToolNames.coder, input: { input: `\`\`\`python\n${code}\`\`\`` } });
    }
    return calls;
  }
  if (code !== undefined && toolNames.has(demoToolNames.python))
    return [{ toolName: demoToolNames.python, input: { code } }];
  if (toolNames.has(demoToolNames.search)) {
    return [{ toolName: demoToolNames.search, input: { query: (question || text).slice(0, 2000), topK: 3 } }];
  }
  return [];
}

function answerFromToolResults(results: readonly ToolResultPart[]): string {
  return results.map(answerFromToolResult).join('\n\n');
}

function answerFromToolResult(result: ToolResultPart): string {
  if (result.isError === true) {
    const error = result.output as { code?: string; message?: string };
    return `The ${result.toolName} tool failed (${error.code ?? 'error'}): ${error.message ?? 'unknown error'}`;
  }
  if (result.toolName === demoToolNames.python) return answerFromPython(result.output);
  if (result.toolName === demoToolNames.search) return answerFromPassages(result.output);
  if (typeof result.output === 'string') return `The ${result.toolName} reports:\n\n${result.output}`;
  return `The ${result.toolName} tool returned:\n\n${JSON.stringify(result.output, null, 2)}`;
}

function answerFromPassages(output: unknown): string {
  const passages = ((output as { results?: Passage[] } | undefined)?.results ?? []).filter(
    (passage) => typeof passage.text === 'string' && passage.text.trim() !== '',
  );
  if (passages.length === 0) {
    return 'I found nothing about that in the knowledge base. Upload a document on the Knowledge tab and ask again. (Offline demo model: I only quote what the knowledge base holds.)';
  }
  const quotes = passages.map((passage, index) => `> ${excerpt(passage.text)} [${index + 1}]`);
  const sources = passages.map(
    (passage, index) =>
      `[${index + 1}] ${passage.source}${(passage.chunk ?? passage.chunkIndex) === undefined ? '' : ` (passage ${(passage.chunk ?? passage.chunkIndex ?? 0) + 1})`}`,
  );
  return `From the knowledge base (offline demo model — quoting the best passages):\n\n${quotes.join('\n\n')}\n\nSources:\n${sources.join('\n')}`;
}

function answerFromPython(output: unknown): string {
  const run = output as {
    ok?: boolean;
    stdout?: string;
    stderr?: string;
    result?: { repr?: string };
    error?: { type?: string; message?: string };
    durationMs?: number;
  };
  const parts = [
    `Ran your Python in the sandbox${typeof run.durationMs === 'number' ? ` (${Math.round(run.durationMs)} ms)` : ''}.`,
  ];
  if (run.stdout) parts.push(`Output:\n\`\`\`\n${run.stdout.trimEnd()}\n\`\`\``);
  if (run.result?.repr !== undefined) parts.push(`Result: \`${run.result.repr}\``);
  if (run.ok === false && run.error !== undefined) parts.push(`It raised ${run.error.type}: ${run.error.message}`);
  if (run.stderr) parts.push(`Stderr:\n\`\`\`\n${run.stderr.trimEnd()}\n\`\`\``);
  return parts.join('\n\n');
}

function fallbackAnswer(toolNames: ReadonlySet<string>): string {
  return toolNames.size === 0
    ? 'Offline demo model: no tools are available, so I cannot search the knowledge base or run code. Set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or OPENAI_BASE_URL for a real model.'
    : 'Offline demo model: ask me a question about your uploaded documents, or send Python in a ```python fenced block.';
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

/** A rough token count (words and punctuation), good enough for the demo's usage figures. */
function countTokens(text: string): number {
  return (text.match(/\w+|[^\s\w]/g) ?? []).length;
}

function usage(inputTokens: number, outputTokens: number) {
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortErrorFrom(signal as AbortSignal, 'demo-model'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
