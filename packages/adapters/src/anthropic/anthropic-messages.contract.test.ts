import { type ContractTarget, runChatModelContractSuite } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';
import { runChatModelFaultSuite } from '../testing/fault-contract-suite.js';
import { runStructuredOutputSuite } from '../testing/structured-output-suite.js';
import { createAnthropicChatModel } from './index.js';

const urls = fakeServerUrls();

const anthropic: ContractTarget = {
  name: 'Anthropic Messages',
  serverUrl: urls.anthropic,
  modelId: 'claude-sonnet-4-20250514',
  create: (modelId, options) =>
    createAnthropicChatModel({ modelId, apiKey: 'sk-ant-test', baseURL: urls.anthropic, ...browserOptIn, ...options }),
  overloadedCode: 'overloaded',
  streamErrorCode: 'overloaded',
};
runChatModelContractSuite(anthropic);
runChatModelFaultSuite(anthropic);
runStructuredOutputSuite({
  ...anthropic,
  nativeSchema: (body) => (body.output_config as { format?: { schema?: unknown } } | undefined)?.format?.schema,
  refusalScenario: 'content-filter',
});
