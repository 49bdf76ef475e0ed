import type { ServerResponse } from 'node:http';
import { type FakeServer, fixtures, type ScenarioRequest, sendJson, startFakeServer } from './fake-http.ts';
import { answerHttpFault, answerJson, answerSse, fakeEmbedding, type ProviderFaultShapes } from './faults.ts';
import { scenarioAnswer, scriptExhaustedMessage } from './scenario-answer.ts';

/**
 * A fake Gemini API: `POST /v1beta/models/{model}:generateContent`, `:streamGenerateContent?alt=sse`
 * (`data:` lines of GenerateContentResponse JSON separated by CRLF), `:batchEmbedContents`, `:embedContent`,
 * and Google's error bodies (`{"error":{"code","message","status","details"}}` with RetryInfo).
 */
export function startGeminiServer(): Promise<FakeServer> {
  return startFakeServer(
    (url) => {
      const match = /\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents|embedContent)$/.exec(
        url.pathname,
      );
      if (match?.[1] === undefined) return null;
      return { model: decodeURIComponent(match[1]), stream: match[2] === 'streamGenerateContent' };
    },
    async (request, response) => {
      if (await answerHttpFault(request, response, geminiShapes)) return;
      const path = response.req.url ?? '';
      if (/:(batchEmbedContents|embedContent)/.test(path)) return answerEmbeddings(request, response);
      return answerGenerate(request, response);
    },
  );
}

const googleError = (code: number, status: string, message: string, details: unknown[] = []) => ({
  error: { code, message, status, ...(details.length > 0 ? { details } : {}) },
});

const geminiShapes: ProviderFaultShapes = {
  error(kind) {
    switch (kind) {
      case 'unauthorized':
        return {
          status: 401,
          body: googleError(401, 'UNAUTHENTICATED', 'API key not valid. Please pass a valid API key.'),
        };
      case 'forbidden':
        return { status: 403, body: googleError(403, 'PERMISSION_DENIED', 'Permission denied on resource project.') };
      case 'rate-limit':
        return {
          status: 429,
          body: googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' },
          ]),
        };
      case 'server':
        return { status: 500, body: googleError(500, 'INTERNAL', 'An internal error has occurred.') };
      case 'overloaded':
        return {
          status: 503,
          body: googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
        };
      case 'context-length':
        return {
          status: 400,
          body: googleError(
            400,
            'INVALID_ARGUMENT',
            'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
          ),
        };
      case 'bad-request':
        return {
          status: 400,
          body: googleError(400, 'INVALID_ARGUMENT', 'Invalid value at generation_config.temperature.'),
        };
    }
  },
  wrongShapeEvent: () => `data: ${JSON.stringify({ candidates: 'not a list' })}\r\n\r\n`,
  streamErrorEvent: () =>
    `data: ${JSON.stringify(googleError(503, 'UNAVAILABLE', 'The model is overloaded.'))}\r\n\r\n`,
};

function answerGenerate(request: ScenarioRequest, response: ServerResponse): Promise<void> {
  const { scenario, model } = request;
  const answer = scenarioAnswer(request);
  if (answer === undefined) {
    return Promise.resolve(
      sendJson(response, 400, {
        error: { code: 400, message: scriptExhaustedMessage(request), status: 'INVALID_ARGUMENT' },
      }),
    );
  }
  const texts = answer.texts;
  // Gemini ends tool-call turns with STOP too: the function calls themselves say what to do next.
  const finishReason =
    answer.finishReason === 'length' ? 'MAX_TOKENS' : answer.finishReason === 'content_filter' ? 'SAFETY' : 'STOP';
  const usageMetadata = {
    promptTokenCount: fixtures.usage.input,
    candidatesTokenCount: fixtures.usage.output - (scenario === 'reasoning' ? fixtures.usage.reasoning : 0),
    totalTokenCount: fixtures.usage.input + fixtures.usage.output,
    cachedContentTokenCount: fixtures.usage.cached,
    ...(scenario === 'reasoning' ? { thoughtsTokenCount: fixtures.usage.reasoning } : {}),
  };
  const toolParts = answer.calls.map((call) => ({
    functionCall: { name: call.name, args: JSON.parse(call.argumentChunks.join('')) as unknown },
  }));
  const thoughtParts = fixtures.reasoningChunks.map((text) => ({ text, thought: true }));
  const chunk = (parts: unknown[], final: boolean) => ({
    candidates: [
      {
        content: { role: 'model', parts },
        index: 0,
        ...(final ? { finishReason } : {}),
      },
    ],
    ...(final ? { usageMetadata } : {}),
    modelVersion: model,
    responseId: 'resp-gemini-1',
  });
  if (!request.stream) {
    const parts = [
      ...(scenario === 'reasoning' ? [{ text: fixtures.reasoningChunks.join(''), thought: true }] : []),
      ...(texts.length > 0 ? [{ text: texts.join('') }] : []),
      ...toolParts,
    ];
    return answerJson(request, response, chunk(parts, true));
  }
  const data = (value: unknown) => `data: ${JSON.stringify(value)}\r\n\r\n`;
  const events: string[] = [];
  if (scenario === 'reasoning') for (const part of thoughtParts) events.push(data(chunk([part], false)));
  for (const text of texts) events.push(data(chunk([{ text }], false)));
  if (toolParts.length > 0) events.push(data(chunk(toolParts, false)));
  events.push(data(chunk([], true)));
  return answerSse(request, response, events, geminiShapes);
}

function answerEmbeddings(request: ScenarioRequest, response: ServerResponse): Promise<void> {
  const requests = Array.isArray(request.body.requests)
    ? (request.body.requests as Array<Record<string, unknown>>)
    : [request.body];
  const embeddings = requests.map((entry) => {
    const content = entry.content as { parts?: Array<{ text?: string }> } | undefined;
    const text = (content?.parts ?? []).map((part) => part.text ?? '').join('');
    const dimensions = typeof entry.outputDimensionality === 'number' ? entry.outputDimensionality : 8;
    return { values: fakeEmbedding(text, dimensions) };
  });
  return answerJson(
    request,
    response,
    Array.isArray(request.body.requests) ? { embeddings } : { embedding: embeddings[0] },
  );
}
