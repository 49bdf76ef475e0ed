/**
 * The runtime's Python code, kept as real `.py` files (linted and read as Python) and inlined as text at build
 * time (`?raw`: Vite and Vitest natively, tsup through the plugin in tsup.config.ts). Only hosts import this;
 * they hand the text to the runtime with its `init` message.
 */
/// <reference path="./python-text.d.ts" />
import display from './python/display.py?raw';
import error from './python/error.py?raw';
import setup from './python/setup.py?raw';
import type { PythonHarness } from './sandbox-runtime.js';

export const pythonHarness: PythonHarness = { setup, display, error };
