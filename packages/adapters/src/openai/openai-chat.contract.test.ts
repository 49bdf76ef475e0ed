import { type ContractTarget, runChatModelContractSuite } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';
import { runChatModelFaultSuite } from '../testing/fault-contract-suite.js';
import { runStructuredOutputSuite } from '../testing/structured-output-suite.js';
import { createOpenAIChatModel, createOpenAICompatibleChatModel, createOpenAIResponsesChatModel } from './index.js';

const urls = fakeServerUrls();

const chatCompletions: ContractTarget = {
  name: 'OpenAI Chat Completions',
  serverUrl: urls.openai,
  modelId: 'gpt-4.1-mini',
  create: (modelId, options) =>
    createOpenAIChatModel({ modelId, apiKey: 'sk-test', baseURL: `${urls.openai}/v1`, ...browserOptIn, ...options }),
  skip: { reasoning: 'OpenAI does not return reasoning over Chat Completions; the Responses API adapter streams it' },
  streamErrorCode: 'overloaded',
};
runChatModelContractSuite(chatCompletions);
runChatModelFaultSuite(chatCompletions);
/** The schema a Chat Completions body asks for natively (`response_format: json_schema`). */
const chatCompletionsSchema = (body: Record<string, unknown>) =>
  (body.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema;
runStructuredOutputSuite({ ...chatCompletions, nativeSchema: chatCompletionsSchema, refusalScenario: 'refusal' });

const responsesApi: ContractTarget = {
  name: 'OpenAI Responses API',
  serverUrl: urls.openai,
  modelId: 'gpt-4.1-mini',
  create: (modelId, options) =>
    createOpenAIResponsesChatModel({
      modelId,
      apiKey: 'sk-test',
      baseURL: `${urls.openai}/v1`,
      ...browserOptIn,
      ...options,
    }),
  streamErrorCode: 'server',
};
runChatModelContractSuite(responsesApi);
runChatModelFaultSuite(responsesApi);
runStructuredOutputSuite({
  ...responsesApi,
  nativeSchema: (body) => (body.text as { format?: { schema?: unknown } } | undefined)?.format?.schema,
  refusalScenario: 'refusal',
});

const openAICompatible: ContractTarget = {
  name: 'OpenAI-compatible (Ollama/vLLM style)',
  serverUrl: urls.openai,
  // Local models have no list price; a price is registered so the cost assertion applies.
  modelId: 'llama3.2',
  create: (modelId, options) =>
    createOpenAICompatibleChatModel({
      modelId,
      baseURL: `${urls.openai}/v1`,
      ...browserOptIn,
      prices: { 'openai-compatible:llama3.2': { inputPerMillion: 0.1, outputPerMillion: 0.1 } },
      ...options,
    }),
  streamErrorCode: 'overloaded',
};
runChatModelContractSuite(openAICompatible);
runChatModelFaultSuite(openAICompatible);
runStructuredOutputSuite({
  ...openAICompatible,
  nativeSchema: chatCompletionsSchema,
  refusalScenario: 'refusal',
  nativeByDefault: false,
});
