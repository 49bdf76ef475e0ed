/**
 * How a provider adapter gets its optional SDK. The provider entries (`@agenticgen/adapters/openai`,
 * `/anthropic`, `/gemini`) pass `() => import('openai')` and the like, which bundlers resolve and bundle. The
 * main entry must never name an SDK a bundler would then have to resolve (esbuild fails on an unresolvable
 * `import('openai')` even inside a function nobody calls), so its deprecated provider factories use
 * {@link importByName}.
 */
export type SdkLoader<Module> = () => Promise<Module>;

/**
 * Imports a package by a name no bundler reads (core's document loaders do the same for their peers). Works
 * where the runtime resolves bare specifiers (Node, Deno, Bun); in a bundled browser app the import fails and
 * the adapter reports `dependency-missing`, pointing at the provider entries.
 */
export function importByName<Module>(packageName: string): Promise<Module> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ packageName) as Promise<Module>;
}
