import { createSandboxVitePlugin } from '@agenticgen/sandbox/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: the built app works from any folder of a static host.
  base: './',
  // Serves Pyodide's files under `<base>/pyodide/` unchanged (dev middleware, fixed-name assets in the build) and
  // sends the cross-origin isolation headers the sandbox needs from `vite` and `vite preview`.
  plugins: [createSandboxVitePlugin()],
  build: { target: 'es2023', chunkSizeWarningLimit: 1500 },
});
