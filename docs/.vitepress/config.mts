import { existsSync } from 'node:fs';
import { defineConfig } from 'vitepress';

const docsRoot = new URL('..', import.meta.url).pathname;
/** Only pages that exist are listed, so the sidebar never points at a missing guide. */
const page = (text: string, link: string) => (existsSync(`${docsRoot}${link}.md`) ? [{ text, link: `/${link}` }] : []);

export default defineConfig({
  title: 'AgenticGen',
  description: 'A TypeScript SDK and plugin runtime for AI agents, for Node and the browser.',
  srcExclude: ['**/README.md'],
  cleanUrls: true,
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/getting-started' },
      { text: 'API', link: '/api/' },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
    sidebar: [
      {
        text: 'Introduction',
        items: [
          ...page('Getting started', 'getting-started'),
          ...page('Architecture', 'architecture'),
          ...page('Error codes', 'errors'),
          ...page('Contributing', 'contributing'),
        ],
      },
      {
        text: 'Packages',
        items: [
          ...page('Core runtime', 'core'),
          ...page('Agents', 'agents'),
          ...page('Structured output', 'structured-output'),
          ...page('Orchestration', 'orchestration'),
          ...page('Knowledge (RAG)', 'knowledge'),
          ...page('Store: threads and durable runs', 'store'),
          ...page('Memory', 'memory'),
          ...page('Chat UIs (UI message stream)', 'ui'),
          ...page('Model adapters', 'adapters'),
          ...page('Cache', 'cache'),
          ...page('Metrics', 'metrics'),
          ...page('Vector', 'vector'),
          ...page('Sandbox and its security model', 'sandbox'),
          ...page('MCP (Model Context Protocol)', 'mcp'),
        ],
      },
      {
        text: 'Guides',
        items: [
          ...page('Writing a plugin', 'plugins'),
          ...page('Deployment', 'deployment'),
          ...page('Benchmarks', 'benchmarks'),
        ],
      },
      { text: 'Reference', items: [{ text: 'API (TypeDoc)', link: '/api/' }, ...page('Events', 'events')] },
    ],
  },
});
