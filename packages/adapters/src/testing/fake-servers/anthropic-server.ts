import { type FakeServer, fixtures, sendJson, sseEvent, startFakeServer } from './fake-http.ts';
import { answerHttpFault, answerJson, answerSse, type ProviderFaultShapes } from './faults.ts';
import { type ScenarioAnswer, scenarioAnswer, scriptExhaustedMessage } from './scenario-answer.ts';

const anthropicStopReasons: Record<ScenarioAnswer['finishReason'], string> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  length: 'max_tokens',
  content_filter: 'refusal',
};

/**
 * A fake Anthropic Messages API (`/v1/messages`): JSON messages and SSE with the documented event names
 * (message_start, content_block_start/delta/stop with text_delta, input_json_delta, thinking_delta,
 * signature_delta, message_delta, message_stop, ping, error) and Anthropic's error bodies (529 overloaded).
 */
export function startAnthropicServer(): Promise<FakeServer> {
  return startFakeServer(
    (url, body) =>
      url.pathname.endsWith('/v1/messages') ? { model: String(body.model ?? ''), stream: body.stream === true } : null,
    async (request, response) => {
      if (await answerHttpFault(request, response, anthropicShapes)) return;
      const { scenario, model } = request;
      const id = 'msg_fake1';
      const answer = scenarioAnswer(request);
      if (answer === undefined)
        return sendJson(response, 400, errorBody('invalid_request_error', scriptExhaustedMessage(request)));
      const texts = answer.texts;
      const stopReason = anthropicStopReasons[answer.finishReason];
      const usage = {
        input_tokens: fixtures.usage.input - fixtures.usage.cached,
        cache_read_input_tokens: fixtures.usage.cached,
        cache_creation_input_tokens: 0,
        output_tokens: fixtures.usage.output,
      };
      const content: Array<Record<string, unknown>> = [];
      if (scenario === 'reasoning')
        content.push({ type: 'thinking', thinking: fixtures.reasoningChunks.join(''), signature: 'sig-fake' });
      if (texts.length > 0) content.push({ type: 'text', text: texts.join('') });
      for (const call of answer.calls) {
        content.push({
          type: 'tool_use',
          id: call.id,
          name: call.name,
          input: JSON.parse(call.argumentChunks.join('')),
        });
      }
      if (!request.stream) {
        return answerJson(request, response, {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content,
          stop_reason: stopReason,
          stop_sequence: null,
          usage,
        });
      }
      const event = (type: string, data: Record<string, unknown>) => sseEvent({ type, ...data }, type);
      const events = [
        event('message_start', {
          message: {
            id,
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...usage, output_tokens: 1 },
          },
        }),
        event('ping', {}),
      ];
      content.forEach((block, index) => {
        if (block.type === 'thinking') {
          events.push(
            event('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }),
          );
          for (const thinking of fixtures.reasoningChunks) {
            events.push(event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } }));
          }
          events.push(
            event('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'sig-fake' } }),
          );
        } else if (block.type === 'text') {
          events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
          for (const text of texts)
            events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
        } else {
          const call = answer.calls.find((candidate) => candidate.id === block.id);
          if (call === undefined) throw new Error(`fake server: no call ${String(block.id)}`);
          events.push(
            event('content_block_start', {
              index,
              content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
            }),
          );
          events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } }));
          for (const partial_json of call.argumentChunks) {
            events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }));
          }
        }
        events.push(event('content_block_stop', { index }));
      });
      events.push(
        event('message_delta', {
          delta: { stop_reason: stopReason, stop_sequence: null },
          usage: { output_tokens: usage.output_tokens },
        }),
      );
      events.push(event('message_stop', {}));
      return answerSse(request, response, events, anthropicShapes);
    },
  );
}

const errorBody = (type: string, message: string) => ({ type: 'error', error: { type, message } });

const anthropicShapes: ProviderFaultShapes = {
  error(kind) {
    switch (kind) {
      case 'unauthorized':
        return { status: 401, body: errorBody('authentication_error', 'invalid x-api-key') };
      case 'forbidden':
        return {
          status: 403,
          body: errorBody('permission_error', 'Your API key does not have permission to use the specified resource.'),
        };
      case 'rate-limit':
        return {
          status: 429,
          body: errorBody('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'),
          headers: { 'retry-after': '2' },
        };
      case 'server':
        return { status: 500, body: errorBody('api_error', 'Internal server error') };
      case 'overloaded':
        return { status: 529, body: errorBody('overloaded_error', 'Overloaded') };
      case 'context-length':
        return {
          status: 400,
          body: errorBody('invalid_request_error', 'prompt is too long: 214563 tokens > 200000 maximum'),
        };
      case 'bad-request':
        return { status: 400, body: errorBody('invalid_request_error', 'temperature: range: 0..1') };
    }
  },
  malformedEvent: () => 'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": {\n\n',
  streamErrorEvent: () => sseEvent(errorBody('overloaded_error', 'Overloaded'), 'error'),
  wrongShapeEvent: () => sseEvent({ type: 'message_start' }, 'message_start'),
};
