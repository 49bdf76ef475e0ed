import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpenAIRequest {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content?: string | null; tool_calls?: unknown[] }>;
  tools?: Array<{ function: { name: string } }>;
}

/**
 * A local server speaking OpenAI's chat-completions wire protocol (SSE chunks, tool-call deltas, usage,
 * `[DONE]`), as Ollama, vLLM and llama.cpp do. It calls `search_knowledge` for a question, then answers.
 */
export function startFakeOpenAI(): Promise<{ server: Server; baseURL: string; requests: OpenAIRequest[] }> {
  const requests: OpenAIRequest[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    if (request.url !== '/v1/chat/completions') {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.parse(raw) as OpenAIRequest;
    requests.push(body);
    const last = body.messages.at(-1);
    const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model };
    const chunks: unknown[] = [];
    if (last?.role === 'user' && body.tools?.some((tool) => tool.function.name === 'search_knowledge')) {
      chunks.push({
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              role: 'assistant',
              tool_calls: [
                { index: 0, id: 'call_1', type: 'function', function: { name: 'search_knowledge', arguments: '' } },
              ],
            },
            finish_reason: null,
          },
        ],
      });
      for (const piece of ['{"query":', `${JSON.stringify(last.content)}}`]) {
        chunks.push({
          ...base,
          choices: [
            { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, finish_reason: null },
          ],
        });
      }
      chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
    } else {
      const text =
        last?.role === 'tool' ? `The fake LLM read: ${String(last.content).slice(0, 400)}` : 'Hello from the fake LLM.';
      for (const word of text.split(/(?<= )/))
        chunks.push({ ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] });
      chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    }
    chunks.push({ ...base, choices: [], usage: { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 } });
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const chunk of chunks) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    response.end('data: [DONE]\n\n');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, baseURL: `http://127.0.0.1:${port}/v1`, requests });
    }),
  );
}
