/**
 * Pyodide ships its loader (`pyodide.mjs`) and runtime (`pyodide.asm.mjs`) as ES modules. The sandbox worker
 * cannot import them: its CSP allows no script URL at all (a `blob:` import would be a way for a compromised
 * worker to start new code), so their text is inlined into the worker's one script. This turns a module's text
 * into a classic-script expression that evaluates to the module's exports.
 */
import { AgenticGenError } from '@agenticgen/core';

const exportList = /\bexport\s*\{([^}]*)\}\s*;?/g;
const exportDefault = /\bexport\s+default\s+([A-Za-z_$][\w$]*)\s*;?/g;

/**
 * `moduleUrl` stands in for `import.meta.url`. Only the export forms Pyodide's bundles use are supported
 * (`export { a as b }` and `export default name`); anything else fails here, never in the worker.
 */
export function moduleAsClassicScript(source: string, moduleUrl: string): string {
  const exported: string[] = [];
  let body = source.replace(exportList, (_, list: string) => {
    for (const entry of list.split(',')) {
      const [local, name = local] = entry.trim().split(/\s+as\s+/);
      if (local !== undefined && local !== '') exported.push(`${JSON.stringify(name)}: ${local}`);
    }
    return '';
  });
  body = body.replace(exportDefault, (_, local: string) => {
    exported.push(`default: ${local}`);
    return '';
  });
  body = body.replaceAll('import.meta.url', JSON.stringify(moduleUrl));
  if (/\bimport\.meta\b|^\s*(?:import|export)\s[^(]/m.test(body) || exported.length === 0) {
    throw new AgenticGenError(
      'sandbox-start-failed',
      `[sandbox] ${moduleUrl.slice(-40)} is not a Pyodide bundle this sandbox can inline (unsupported import/export form)`,
    );
  }
  return `(() => {\n'use strict';\n${body}\nreturn { ${exported.join(', ')} };\n})()`;
}
