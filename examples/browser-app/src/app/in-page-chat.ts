import type { Agent } from '@agenticgen/core';
import { fromUIMessages, toUIMessageStreamResponse } from '@agenticgen/core/ui';

/** How an answer was produced, beyond what the UI message stream carries. */
export interface AnswerFacts {
  /** True when every model request of the run was answered by the IndexedDB cache. */
  fromCache: boolean;
  /** Cache hits and lookups of the run. */
  hits: number;
  lookups: number;
}

export interface InPageChat {
  /** The `fetch` to give `createChatClient`: the chat endpoint, served by the agent in this page. */
  fetch: typeof fetch;
  /** What is known about the run with this id once it ended (the message metadata carries the run id). */
  factsOf(runId: string): AnswerFacts | undefined;
}

/** Runs whose facts are kept; the oldest are forgotten beyond this. */
const maxRuns = 200;

/**
 * The chat endpoint of the AI SDK UI message stream protocol, served in the page: no server, the same wire
 * format a server would stream (`fromUIMessages` in, `toUIMessageStreamResponse` out), so the page talks to its
 * agent through core's `createChatClient` as it would to a remote one.
 */
export function createInPageChat(
  createAgent: (onLookup: (hit: boolean) => void) => Agent,
  /** Called when a run has ended and its facts are known (to redraw the answer's figures). */
  onRunEnd: () => void = () => {},
): InPageChat {
  const facts = new Map<string, AnswerFacts>();
  let running: AbortController | undefined;
  const handle = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // Stop (DELETE …/stream) cancels the answer; there is nothing to resume (GET …/stream) after a reload.
    if (init?.method === 'DELETE') {
      running?.abort();
      return new Response(null, { status: 204 });
    }
    if (init?.method !== 'POST') return new Response(null, { status: 204 });
    const body = JSON.parse(String(init.body)) as { messages: unknown };
    const { messages } = fromUIMessages(body.messages);
    const lookups: boolean[] = [];
    const controller = new AbortController();
    running = controller;
    const run = createAgent((hit) => lookups.push(hit)).stream(messages, { signal: controller.signal });
    run.result.then(
      (result) => {
        const hits = lookups.filter(Boolean).length;
        facts.set(result.runId, {
          fromCache: lookups.length > 0 && hits === lookups.length,
          hits,
          lookups: lookups.length,
        });
        if (facts.size > maxRuns) facts.delete(facts.keys().next().value as string);
        onRunEnd();
      },
      () => onRunEnd(),
    );
    return toUIMessageStreamResponse(run);
  };
  return { fetch: handle as typeof fetch, factsOf: (runId) => facts.get(runId) };
}
