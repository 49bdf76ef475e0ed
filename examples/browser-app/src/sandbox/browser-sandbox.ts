import { createSandbox, type PythonSandbox, type SandboxOptions } from '@agenticgen/sandbox';

/** The browser entry's options (`BrowserSandboxOptions` in @agenticgen/sandbox's browser build). */
interface BrowserSandboxSettings extends SandboxOptions {
  /** Folder Pyodide's files are fetched from; this app serves them itself (see vite.config.ts). */
  indexURL?: string;
}

/**
 * This monorepo's typecheck maps `@agenticgen/sandbox` to the package's Node entry (tsconfig `paths`), whose
 * `createSandbox` takes Node options; the bundle resolves the `browser` export condition, whose `createSandbox`
 * takes `BrowserSandboxOptions`. Users of the published package get the browser types from its `types` export.
 */
const createBrowserSandboxFromPackage = createSandbox as (options: BrowserSandboxSettings) => PythonSandbox;

/**
 * Python in Pyodide workers inside an opaque-origin sandboxed iframe, with Pyodide's files served by this app
 * from `./pyodide/` (no CDN, so the app works offline and under a strict CSP).
 */
export function createBrowserSandbox(): PythonSandbox {
  return createBrowserSandboxFromPackage({
    indexURL: new URL('pyodide/', document.baseURI).href,
    limits: { timeoutMs: 20_000, memoryLimitMb: 512 },
    pool: { warm: 1, max: 2 },
  });
}
