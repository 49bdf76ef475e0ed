import { startAnthropicServer } from './anthropic-server.ts';
import type { FakeServer } from './fake-http.ts';
import { startGeminiServer } from './gemini-server.ts';
import { startOpenAIServer } from './openai-server.ts';
import { startRerankServer } from './rerank-server.ts';

export type { FakeServer, KeyLog } from './fake-http.ts';
export { fixtures, splitModel } from './fake-http.ts';
export { startAnthropicServer, startGeminiServer, startOpenAIServer, startRerankServer };

/** Base URLs of the fake servers (OpenAI-compatible servers use the OpenAI one). */
export interface FakeServerUrls {
  openai: string;
  anthropic: string;
  gemini: string;
  /** Cohere-compatible rerank API (`/v2/rerank`). */
  rerank: string;
}

/** Starts all fake servers; `close()` stops them. */
export async function startFakeServers(): Promise<{
  urls: FakeServerUrls;
  servers: FakeServer[];
  close(): Promise<void>;
}> {
  const [openai, anthropic, gemini, rerank] = await Promise.all([
    startOpenAIServer(),
    startAnthropicServer(),
    startGeminiServer(),
    startRerankServer(),
  ]);
  return {
    urls: { openai: openai.url, anthropic: anthropic.url, gemini: gemini.url, rerank: rerank.url },
    servers: [openai, anthropic, gemini, rerank],
    close: async () => {
      await Promise.all([openai.close(), anthropic.close(), gemini.close(), rerank.close()]);
    },
  };
}
