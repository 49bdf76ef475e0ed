export { type CodingAgent, type CodingAgentOptions, createCodingAgent } from './coding-agent.js';
export { type CreativeAgentOptions, createCreativeAgent, creativeSamplingDefaults } from './creative-agent.js';
export {
  type Citation,
  citationsOf,
  createResearchAgent,
  knowledgeSearchToolName,
  type ResearchAgentOptions,
} from './research-agent.js';
