// A Node module-resolution hook that runs the workspace's TypeScript sources directly (Node strips the types):
// `@agenticgen/<name>` resolves to the package's src entry and `./x.js` imports inside .ts files to `./x.ts`,
// as the Vitest config does. Used to run the conformance client as a plain `node` command.
import { existsSync } from 'node:fs';

const root = new URL('../../../../', import.meta.url);
export async function resolve(specifier, context, next) {
  const match = /^@agenticgen\/([a-z-]+)(?:\/(.+))?$/.exec(specifier);
  if (match) {
    const [, name, sub] = match;
    const base = new URL(`packages/${name}/src/`, root);
    const candidates = sub ? [`${sub}.ts`, `${sub}/index.ts`] : ['index.node.ts', 'index.ts'];
    for (const candidate of candidates) {
      const url = new URL(candidate, base);
      if (existsSync(url)) return { url: url.href, shortCircuit: true };
    }
  }
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const url = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(url)) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}
