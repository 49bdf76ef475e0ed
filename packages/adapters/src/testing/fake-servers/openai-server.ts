import type { ServerResponse } from 'node:http';
import {
  answerChunks,
  type FakeServer,
  fixtures,
  type ScenarioRequest,
  sendJson,
  sseEvent,
  startFakeServer,
} from './fake-http.ts';
import { answerHttpFault, answerJson, answerSse, fakeEmbedding, type ProviderFaultShapes } from './faults.ts';
import { type ScenarioAnswer, scenarioAnswer, scriptExhaustedMessage } from './scenario-answer.ts';

/**
 * A fake OpenAI API: Chat Completions (`/v1/chat/completions`, JSON and SSE `data:` chunks ending with
 * `[DONE]`), the Responses API (`/v1/responses`, typed SSE events) and embeddings (`/v1/embeddings`,
 * float or base64), with OpenAI's error bodies. OpenAI-compatible servers speak the same protocol.
 */
export function startOpenAIServer(): Promise<FakeServer> {
  return startFakeServer(
    (url, body) =>
      /\/(chat\/completions|responses|embeddings)$/.test(url.pathname)
        ? { model: String(body.model ?? ''), stream: body.stream === true }
        : null,
    async (request, response) => {
      if (await answerHttpFault(request, response, openAIShapes)) return;
      const path = (response.req.url ?? '').split('?')[0] ?? '';
      if (path.endsWith('/embeddings')) return answerEmbeddings(request, response);
      if (path.endsWith('/responses')) return answerResponses(request, response);
      return answerChatCompletions(request, response);
    },
  );
}

const openAIShapes: ProviderFaultShapes = {
  error(kind) {
    const body = (message: string, type: string, code: string | null) => ({
      error: { message, type, param: null, code },
    });
    switch (kind) {
      case 'unauthorized':
        return {
          status: 401,
          body: body('Incorrect API key provided: sk-test.', 'invalid_request_error', 'invalid_api_key'),
        };
      case 'forbidden':
        return {
          status: 403,
          body: body('You are not allowed to use this model.', 'invalid_request_error', 'model_not_allowed'),
        };
      case 'rate-limit':
        return {
          status: 429,
          body: body('Rate limit reached for requests.', 'requests', 'rate_limit_exceeded'),
          headers: { 'retry-after': '2' },
        };
      case 'server':
        return { status: 500, body: body('The server had an error processing your request.', 'server_error', null) };
      case 'overloaded':
        return { status: 503, body: body('The engine is currently overloaded.', 'server_error', 'overloaded') };
      case 'context-length':
        return {
          status: 400,
          body: body(
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.",
            'invalid_request_error',
            'context_length_exceeded',
          ),
        };
      case 'bad-request':
        return {
          status: 400,
          body: body("Invalid value for 'temperature'.", 'invalid_request_error', 'invalid_value'),
        };
    }
  },
  streamErrorEvent: () =>
    sseEvent({ error: { message: 'The server is overloaded.', type: 'server_error', code: 'overloaded' } }),
};

const usage = {
  prompt_tokens: fixtures.usage.input,
  completion_tokens: fixtures.usage.output,
  total_tokens: fixtures.usage.input + fixtures.usage.output,
  prompt_tokens_details: { cached_tokens: fixtures.usage.cached },
  completion_tokens_details: { reasoning_tokens: 0 },
};

/** The 400 a request gets once its key's script has no turn left (same body on both OpenAI APIs). */
function scriptExhausted(request: ScenarioRequest, response: ServerResponse): void {
  sendJson(response, 400, {
    error: {
      message: scriptExhaustedMessage(request),
      type: 'invalid_request_error',
      param: null,
      code: 'script_exhausted',
    },
  });
}

async function answerChatCompletions(request: ScenarioRequest, response: ServerResponse): Promise<void> {
  const id = 'chatcmpl-fake1';
  const { scenario, model } = request;
  const answer = scenarioAnswer(request);
  if (answer === undefined) {
    return scriptExhausted(request, response);
  }
  const { texts, calls, finishReason } = answer;
  if (!request.stream) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: texts.length > 0 && scenario !== 'refusal' ? texts.join('') : null,
      refusal: scenario === 'refusal' ? fixtures.refusalChunks.join('') : null,
    };
    if (scenario === 'reasoning') message.reasoning_content = fixtures.reasoningChunks.join('');
    if (calls.length > 0) {
      message.tool_calls = calls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.argumentChunks.join('') },
      }));
    }
    return answerJson(request, response, {
      id,
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage,
      system_fingerprint: null,
    });
  }
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    sseEvent({
      id,
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  const events = [chunk({ role: 'assistant', content: '' })];
  if (scenario === 'reasoning') {
    for (const piece of fixtures.reasoningChunks) events.push(chunk({ reasoning_content: piece }));
  }
  if (scenario === 'refusal') for (const piece of fixtures.refusalChunks) events.push(chunk({ refusal: piece }));
  else for (const text of texts) events.push(chunk({ content: text }));
  calls.forEach((call, index) => {
    events.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const piece of call.argumentChunks)
      events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(chunk({}, finishReason));
  events.push(sseEvent({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [], usage }));
  events.push('data: [DONE]\n\n');
  return answerSse(request, response, events, openAIShapes);
}

async function answerResponses(request: ScenarioRequest, response: ServerResponse): Promise<void> {
  const { scenario, model } = request;
  const id = 'resp_fake1';
  // The same answers as Chat Completions (fixtures or the scripted turn), in the Responses API's shapes.
  const answer = scenarioAnswer(request);
  if (answer === undefined) {
    return scriptExhausted(request, response);
  }
  // A filtered Responses answer is `incomplete` with the text produced so far.
  const texts = scenario === 'content-filter' ? answerChunks(scenario, request.count, request.body) : answer.texts;
  const callsByOutputIndex = new Map<number, ScenarioAnswer['calls'][number]>();
  const output: Array<Record<string, unknown>> = [];
  if (scenario === 'reasoning') {
    output.push({
      id: 'rs_1',
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: fixtures.reasoningChunks.join('') }],
    });
  }
  if (texts.length > 0) {
    output.push({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content:
        scenario === 'refusal'
          ? [{ type: 'refusal', refusal: fixtures.refusalChunks.join('') }]
          : [{ type: 'output_text', text: texts.join(''), annotations: [] }],
    });
  }
  if (answer.calls.length > 0) {
    answer.calls.forEach((call, index) => {
      callsByOutputIndex.set(output.length, call);
      output.push({
        id: `fc_${index}`,
        type: 'function_call',
        call_id: call.id,
        name: call.name,
        arguments: call.argumentChunks.join(''),
        status: 'completed',
      });
    });
  }
  const incomplete = scenario === 'length' || scenario === 'content-filter';
  const final = {
    id,
    object: 'response',
    created_at: 1_700_000_000,
    status: incomplete ? 'incomplete' : 'completed',
    incomplete_details: incomplete ? { reason: scenario === 'length' ? 'max_output_tokens' : 'content_filter' } : null,
    error: null,
    model,
    output,
    usage: {
      input_tokens: fixtures.usage.input,
      input_tokens_details: { cached_tokens: fixtures.usage.cached },
      output_tokens: fixtures.usage.output,
      output_tokens_details: { reasoning_tokens: scenario === 'reasoning' ? fixtures.usage.reasoning : 0 },
      total_tokens: fixtures.usage.input + fixtures.usage.output,
    },
  };
  if (!request.stream) return answerJson(request, response, final);
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    sseEvent({ type, sequence_number: sequence++, ...data }, type);
  const events = [
    event('response.created', { response: { ...final, status: 'in_progress', output: [], usage: null } }),
    event('response.in_progress', { response: { ...final, status: 'in_progress', output: [], usage: null } }),
  ];
  output.forEach((item, outputIndex) => {
    if (item.type === 'reasoning') {
      events.push(event('response.output_item.added', { output_index: outputIndex, item: { ...item, summary: [] } }));
      for (const delta of fixtures.reasoningChunks) {
        events.push(
          event('response.reasoning_summary_text.delta', {
            item_id: item.id,
            output_index: outputIndex,
            summary_index: 0,
            delta,
          }),
        );
      }
    } else if (item.type === 'message') {
      events.push(
        event('response.output_item.added', {
          output_index: outputIndex,
          item: { ...item, status: 'in_progress', content: [] },
        }),
      );
      const refusing = scenario === 'refusal';
      const pieces = refusing ? fixtures.refusalChunks : texts;
      const kind = refusing ? 'refusal' : 'output_text';
      events.push(
        event('response.content_part.added', {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          part: refusing ? { type: 'refusal', refusal: '' } : { type: 'output_text', text: '', annotations: [] },
        }),
      );
      for (const delta of pieces) {
        events.push(
          event(`response.${kind}.delta`, {
            item_id: item.id,
            output_index: outputIndex,
            content_index: 0,
            delta,
            ...(refusing ? {} : { logprobs: [] }),
          }),
        );
      }
      events.push(
        event(`response.${kind}.done`, {
          item_id: item.id,
          output_index: outputIndex,
          content_index: 0,
          ...(refusing ? { refusal: pieces.join('') } : { text: pieces.join(''), logprobs: [] }),
        }),
      );
    } else {
      const call = callsByOutputIndex.get(outputIndex);
      if (call === undefined) throw new Error(`fake server: no call for output item ${outputIndex}`);
      events.push(
        event('response.output_item.added', {
          output_index: outputIndex,
          item: { ...item, arguments: '', status: 'in_progress' },
        }),
      );
      for (const delta of call.argumentChunks) {
        events.push(
          event('response.function_call_arguments.delta', { item_id: item.id, output_index: outputIndex, delta }),
        );
      }
      events.push(
        event('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: outputIndex,
          arguments: item.arguments,
        }),
      );
    }
    events.push(event('response.output_item.done', { output_index: outputIndex, item }));
  });
  events.push(event(incomplete ? 'response.incomplete' : 'response.completed', { response: final }));
  return answerSse(request, response, events, {
    ...openAIShapes,
    streamErrorEvent: () => event('error', { code: 'server_error', message: 'The server is overloaded.', param: null }),
    wrongShapeEvent: () => event('response.created', {}),
  });
}

function answerEmbeddings(request: ScenarioRequest, response: ServerResponse): void {
  const inputs = Array.isArray(request.body.input) ? (request.body.input as string[]) : [String(request.body.input)];
  const dimensions = typeof request.body.dimensions === 'number' ? request.body.dimensions : 8;
  const base64 = request.body.encoding_format === 'base64';
  const data = inputs.map((text, index) => {
    const vector = fakeEmbedding(text, dimensions);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
  void answerJson(request, response, {
    object: 'list',
    data,
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
