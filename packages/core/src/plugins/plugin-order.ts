import { AgenticGenError } from '../errors/agenticgen-error.js';

/** The minimum the ordering needs to know about a plugin. */
export interface OrderablePlugin {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/**
 * Orders plugins so each comes after its dependencies, keeping the given order wherever dependencies allow
 * (so the app's list order decides between independent plugins). A dependency that is not in the list is a
 * `dependency-missing` error; a cycle is a `dependency-cycle` error that spells out the cycle.
 */
export function orderPlugins<P extends OrderablePlugin>(plugins: readonly P[]): P[] {
  const byName = new Map(plugins.map((plugin) => [plugin.name, plugin]));
  for (const plugin of plugins) {
    const missing = plugin.dependsOn.filter((dependency) => !byName.has(dependency));
    if (missing.length > 0) {
      throw new AgenticGenError(
        'dependency-missing',
        `[runtime] plugin "${plugin.name}" depends on ${missing.map((name) => `"${name}"`).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not in the plugin list; add ${missing.length === 1 ? 'it' : 'them'} to createRuntime({ plugins })`,
        { data: { plugin: plugin.name, missing } },
      );
    }
  }

  const ordered: P[] = [];
  const placed = new Set<string>();
  // Repeatedly place the first plugin (in list order) whose dependencies are all placed: O(n²), and n is small.
  while (ordered.length < plugins.length) {
    const next = plugins.find(
      (plugin) => !placed.has(plugin.name) && plugin.dependsOn.every((dependency) => placed.has(dependency)),
    );
    if (next === undefined) {
      const cycle = findCycle(
        plugins.filter((plugin) => !placed.has(plugin.name)),
        byName,
      );
      throw new AgenticGenError(
        'dependency-cycle',
        `[runtime] plugins depend on each other in a cycle: ${cycle.join(' → ')}; remove one of these dependsOn entries`,
        { data: { cycle } },
      );
    }
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}

/** A cycle among `remaining` (every one of them is on or behind a cycle), as `a → b → a`. */
function findCycle<P extends OrderablePlugin>(remaining: readonly P[], byName: ReadonlyMap<string, P>): string[] {
  const names = new Set(remaining.map((plugin) => plugin.name));
  const path: string[] = [];
  const onPath = new Set<string>();
  const visited = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    if (visited.has(name)) return undefined;
    visited.add(name);
    onPath.add(name);
    path.push(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      if (!names.has(dependency)) continue;
      const cycle = visit(dependency);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    onPath.delete(name);
    return undefined;
  };
  for (const plugin of remaining) {
    const cycle = visit(plugin.name);
    if (cycle !== undefined) return cycle;
  }
  return [...names];
}
