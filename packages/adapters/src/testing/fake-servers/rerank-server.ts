import { type FakeServer, type ScenarioRequest, startFakeServer } from './fake-http.ts';
import { answerHttpFault, answerJson, type ProviderFaultShapes } from './faults.ts';

/**
 * A fake rerank API in Cohere's wire format (`POST /v2/rerank`, also `/v1/rerank` as Jina and vLLM serve it):
 * `{ model, query, documents, top_n }` → `{ id, results: [{ index, relevance_score }], meta }`, best first, with
 * Cohere's error bodies (`{ message }`). Scores are the share of query words a document contains, so tests can
 * tell a real reordering from the input order. The shared fault scenarios travel in the model id.
 */
export function startRerankServer(): Promise<FakeServer> {
  return startFakeServer(
    (url, body) => (/\/v[12]\/rerank$/.test(url.pathname) ? { model: String(body.model ?? ''), stream: false } : null),
    async (request, response) => {
      if (await answerHttpFault(request, response, rerankShapes)) return;
      return answerJson(request, response, rerankAnswer(request));
    },
  );
}

const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

function rerankAnswer(request: ScenarioRequest): unknown {
  const query = words(String(request.body.query ?? ''));
  const documents = Array.isArray(request.body.documents) ? request.body.documents.map(String) : [];
  const topN = typeof request.body.top_n === 'number' ? request.body.top_n : documents.length;
  const results = documents
    .map((document, index) => {
      const terms = words(document);
      const shared = [...query].filter((word) => terms.has(word)).length;
      return { index, relevance_score: query.size === 0 ? 0 : shared / query.size };
    })
    .sort((left, right) => right.relevance_score - left.relevance_score || left.index - right.index)
    .slice(0, topN);
  if (request.scenario === 'foreign-index') results.push({ index: documents.length + 5, relevance_score: 1 });
  return { id: 'rerank-1', results, meta: { billed_units: { search_units: 1 } } };
}

const rerankShapes: ProviderFaultShapes = {
  error(kind) {
    switch (kind) {
      case 'unauthorized':
        return { status: 401, body: { id: 'e1', message: 'invalid api token' } };
      case 'forbidden':
        return { status: 403, body: { id: 'e2', message: 'this key cannot use the model' } };
      case 'rate-limit':
        return {
          status: 429,
          body: { id: 'e3', message: 'You are past the rate limit of 10 calls per minute.' },
          headers: { 'retry-after': '2' },
        };
      case 'server':
        return { status: 500, body: { id: 'e4', message: 'internal server error' } };
      case 'overloaded':
        return { status: 503, body: { id: 'e5', message: 'service unavailable' } };
      case 'context-length':
        return { status: 400, body: { id: 'e6', message: 'too many tokens in the query' } };
      case 'bad-request':
        return { status: 400, body: { id: 'e7', message: `invalid request: ${'x'.repeat(5000)}` } };
    }
  },
};
