import { type ContractTarget, runChatModelContractSuite } from '../testing/contract-suite.js';
import { fakeServerUrls } from '../testing/fake-server-urls.js';
import { runChatModelFaultSuite } from '../testing/fault-contract-suite.js';
import { runStructuredOutputSuite } from '../testing/structured-output-suite.js';
import { createGeminiChatModel } from './index.js';

const urls = fakeServerUrls();

const gemini: ContractTarget = {
  name: 'Gemini',
  serverUrl: urls.gemini,
  modelId: 'gemini-2.5-flash',
  create: (modelId, options) =>
    createGeminiChatModel({ modelId, apiKey: 'gemini-test', baseURL: urls.gemini, ...options }),
  overloadedCode: 'overloaded',
  streamErrorCode: 'overloaded',
};
runChatModelContractSuite(gemini);
runChatModelFaultSuite(gemini);
runStructuredOutputSuite({
  ...gemini,
  nativeSchema: (body) => (body.generationConfig as { responseJsonSchema?: unknown } | undefined)?.responseJsonSchema,
  refusalScenario: 'content-filter',
});
