export {
  createSandboxVitePlugin,
  crossOriginIsolationHeaders,
  pyodideFileNames,
  type SandboxVitePluginOptions,
  sandboxVitePlugin,
} from './sandbox-vite-plugin.js';
