import {
  abortErrorFrom,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ChatStreamPart,
  type TextPart,
  type ToolCallPart,
  type ToolResultPart,
} from '@agenticgen/core';

/** Tool names the offline demo model knows how to call (core's research agent and the sandbox's python tool). */
export const demoToolNames = { search: 'search_knowledge', python: 'run_python' } as const;

export interface OfflineDemoModelOptions {
  /** Pause between streamed words so the page shows a stream (default 8 ms; 0 for none). */
  wordDelayMs?: number;
}

/** A passage as core's `search_knowledge` tool returns it. */
interface Passage {
  ref?: string;
  source?: string;
  text?: string;
}

/** What @agenticgen/sandbox's `run_python` tool returns. */
interface PythonRun {
  ok?: boolean;
  stdout?: string;
  stderr?: string;
  result?: string;
  error?: string;
}

const pythonFence = /```(?:python|py)?[^\n]*\n([\s\S]*?)```/i;

/**
 * The offline demo model: no network and no weights, so the app works with nothing but static files. It is not
 * a language model and never pretends to be one: for a question it calls `search_knowledge` and then quotes the
 * best passages verbatim, each cited by its ref (`[documentId#chunk]`, what core's `citationsOf` reads); for
 * Python in a fenced block it calls `run_python` and reports the sandbox's output. It speaks the `ChatModel`
 * contract exactly (streamed tool calls, usage, finish reason), so the agent loop, the answer cache and the
 * metrics treat it like any provider.
 */
export function createOfflineDemoModel(options: OfflineDemoModelOptions = {}): ChatModel {
  const wordDelayMs = options.wordDelayMs ?? 8;
  const model: ChatModel = {
    provider: 'demo',
    modelId: 'offline-demo',
    capabilities: { tools: true, vision: false, structuredOutput: false, streaming: true, contextWindow: 32_000 },
    stream: (request) => streamAnswer(request, wordDelayMs),
    async generate(request) {
      const toolCalls: ToolCallPart[] = [];
      let text = '';
      let finish: Extract<ChatStreamPart, { type: 'finish' }> | undefined;
      for await (const part of streamAnswer(request, 0)) {
        if (part.type === 'text-delta') text += part.delta;
        else if (part.type === 'tool-call-end') {
          toolCalls.push({
            type: 'tool-call',
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            input: part.input,
          });
        } else if (part.type === 'finish') finish = part;
      }
      const content: Array<TextPart | ToolCallPart> =
        text === '' ? [...toolCalls] : [{ type: 'text', text }, ...toolCalls];
      const response: ChatResponse = {
        text,
        content,
        toolCalls,
        finishReason: finish?.finishReason ?? 'stop',
        usage: finish?.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        modelId: model.modelId,
      };
      return response;
    },
  };
  return model;
}

async function* streamAnswer(request: ChatRequest, wordDelayMs: number): AsyncGenerator<ChatStreamPart> {
  const inputTokens = countTokens(request.messages.map(messageText).join(' '));
  yield { type: 'response-start', modelId: 'offline-demo' };
  const toolNames = new Set((request.tools ?? []).map((tool) => tool.name));
  const last = request.messages.at(-1);
  const call = last?.role === 'user' ? planToolCall(messageText(last), toolNames) : undefined;
  if (call !== undefined) {
    const json = JSON.stringify(call.input);
    // A deterministic id keeps the follow-up request identical for the same question, so the answer cache hits.
    const toolCallId = `call_${hash(`${request.messages.length}:${call.toolName}:${json}`)}`;
    yield { type: 'tool-call-start', toolCallId, toolName: call.toolName };
    yield { type: 'tool-call-delta', toolCallId, argumentsDelta: json };
    yield { type: 'tool-call-end', toolCallId, toolName: call.toolName, input: call.input };
    yield { type: 'finish', finishReason: 'tool-calls', usage: usage(inputTokens, countTokens(json)) };
    return;
  }
  const question = request.messages.findLast((message) => message.role === 'user');
  const questionText = question === undefined ? '' : messageText(question);
  const answer =
    last?.role === 'tool'
      ? last.content.map((result) => answerFromToolResult(result, questionText)).join('\n\n')
      : fallbackAnswer(toolNames);
  for (const word of answer.match(/\S+\s*|\s+/g) ?? []) {
    if (request.signal?.aborted) throw abortErrorFrom(request.signal, 'offline-demo-model');
    if (wordDelayMs > 0) await sleep(wordDelayMs);
    yield { type: 'text-delta', delta: word };
  }
  yield { type: 'finish', finishReason: 'stop', usage: usage(inputTokens, countTokens(answer)) };
}

/** Python in a fence goes to `run_python`; anything else is looked up with `search_knowledge`. */
function planToolCall(text: string, toolNames: ReadonlySet<string>): { toolName: string; input: unknown } | undefined {
  const code = pythonFence.exec(text)?.[1];
  if (code !== undefined && toolNames.has(demoToolNames.python))
    return { toolName: demoToolNames.python, input: { code } };
  const question = text.replace(pythonFence, '').trim();
  if (question !== '' && toolNames.has(demoToolNames.search)) {
    return { toolName: demoToolNames.search, input: { query: question.slice(0, 2000) } };
  }
  return undefined;
}

function answerFromToolResult(result: ToolResultPart, question: string): string {
  if (result.isError === true) {
    const error = (result.output as { error?: { code?: string; message?: string } } | undefined)?.error;
    return `The ${result.toolName} tool failed (${error?.code ?? 'error'}): ${error?.message ?? 'unknown error'}`;
  }
  if (result.toolName === demoToolNames.python) return answerFromPython(result.output as PythonRun);
  if (result.toolName === demoToolNames.search) return answerFromPassages(result.output, question);
  return `The ${result.toolName} tool returned:\n${JSON.stringify(result.output, null, 2)}`;
}

/**
 * Quotes the retrieved passages that share a word with the question. A search always returns its nearest
 * chunks, related or not; a model that cannot read must not quote unrelated ones as if they answered.
 */
function answerFromPassages(output: unknown, question: string): string {
  const terms = keyTerms(question);
  const passages = ((output as { results?: Passage[] } | undefined)?.results ?? [])
    .filter((passage) => {
      const text = passage.text?.toLowerCase() ?? '';
      return text.trim() !== '' && terms.some((term) => text.includes(term));
    })
    .slice(0, 3);
  if (passages.length === 0) {
    return 'The knowledge base has nothing on that yet. Add a document and ask again. (Offline demo model: I only quote what the knowledge base holds.)';
  }
  const quotes = passages.map((passage) => `> ${excerpt(passage.text ?? '')} [${passage.ref ?? '?'}]`);
  return `Offline demo model — quoting the passages of the knowledge base that match your question:\n\n${quotes.join('\n\n')}`;
}

const stopWords = new Set([
  'what',
  'which',
  'when',
  'where',
  'does',
  'about',
  'that',
  'this',
  'with',
  'from',
  'have',
  'there',
  'their',
  'they',
  'were',
  'will',
  'would',
  'could',
  'should',
  'tell',
  'explain',
  'please',
  'know',
]);

/** Content words of the question, cut to a short stem so "tides" also finds "tide" and "baking" finds "bake". */
function keyTerms(question: string): string[] {
  return (question.toLowerCase().match(/\p{L}[\p{L}\p{N}]{3,}/gu) ?? [])
    .filter((word) => !stopWords.has(word))
    .map((word) => word.slice(0, Math.min(5, word.length - 1)));
}

function answerFromPython(run: PythonRun): string {
  const parts = ['Ran your Python in the sandbox (Pyodide in a worker).'];
  if (run.stdout) parts.push(`Output:\n\`\`\`\n${run.stdout.trimEnd()}\n\`\`\``);
  if (run.result !== undefined) parts.push(`Result: ${run.result}`);
  if (run.ok === false && run.error !== undefined) parts.push(`It raised:\n\`\`\`\n${run.error.trimEnd()}\n\`\`\``);
  if (run.stderr) parts.push(`Stderr:\n\`\`\`\n${run.stderr.trimEnd()}\n\`\`\``);
  return parts.join('\n\n');
}

function fallbackAnswer(toolNames: ReadonlySet<string>): string {
  return toolNames.size === 0
    ? 'Offline demo model: no tools are available, so I can neither search the knowledge base nor run code.'
    : 'Offline demo model: ask a question about your documents, or send Python in a ```python fenced block.';
}

function excerpt(text: string): string {
  const clean = text
    .replace(/^#{1,6}\s[^\n]*$/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 360 ? `${clean.slice(0, 360).replace(/\s\S*$/, '')} …` : clean;
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

/** A rough token count (words and punctuation): enough for honest-looking usage figures, labelled as such. */
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
