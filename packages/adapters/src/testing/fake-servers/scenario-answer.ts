import { answerChunks, fixtures, type ScenarioRequest } from './fake-http.ts';

/**
 * What a fake provider answers, before it is put in that provider's wire shapes: text chunks, tool calls with
 * their argument deltas, and why it stopped. The same for every provider, so the contract suite and the
 * scripted multi-turn runs mean the same thing on the OpenAI, Anthropic and Gemini servers.
 */
export interface ScenarioAnswer {
  texts: string[];
  calls: ReadonlyArray<{ id: string; name: string; argumentChunks: readonly string[] }>;
  /** In OpenAI's words; each server maps it to its own (`tool_use`/`end_turn`, `STOP`/`MAX_TOKENS`…). */
  finishReason: 'stop' | 'tool_calls' | 'length' | 'content_filter';
}

function finishReasonFor(scenario: string): ScenarioAnswer['finishReason'] {
  if (scenario === 'tools') return 'tool_calls';
  if (scenario === 'length') return 'length';
  if (scenario === 'content-filter') return 'content_filter';
  return 'stop';
}

/** The fixtures' answer for a scenario, or the scripted turn (undefined when the script has run out). */
export function scenarioAnswer(request: ScenarioRequest): ScenarioAnswer | undefined {
  const { scenario } = request;
  if (scenario === 'scripted') {
    const turn = request.script?.[request.attempt - 1];
    if (turn === undefined) return undefined;
    const calls = (turn.toolCalls ?? []).map((call) => {
      // Split by code points so the two argument deltas never cut a surrogate pair.
      const characters = Array.from(call.arguments);
      const middle = Math.ceil(characters.length / 2);
      return {
        id: call.id,
        name: call.name,
        argumentChunks: [characters.slice(0, middle).join(''), characters.slice(middle).join('')],
      };
    });
    return { texts: turn.text ?? [], calls, finishReason: calls.length > 0 ? 'tool_calls' : 'stop' };
  }
  return {
    texts:
      scenario === 'tools' || scenario === 'content-filter' ? [] : answerChunks(scenario, request.count, request.body),
    calls: scenario === 'tools' ? fixtures.toolCalls : [],
    finishReason: finishReasonFor(scenario),
  };
}

/** The error text a request gets once its key's script has no turn left. */
export const scriptExhaustedMessage = (request: ScenarioRequest) =>
  `no scripted turn ${request.attempt} for this key; POST more turns to /__control/script`;
