import type { Component } from "./component.js";
import type { Problem } from "./problems.js";

/**
 * Derive ArgoCD sync waves from declared dependencies: a component with no dependencies is wave 1,
 * otherwise one more than its latest dependency. Unknown dependencies and cycles are problems.
 */
export function syncWaves(components: readonly Pick<Component, "name" | "dependsOn">[]): {
  waves: Map<string, number>;
  problems: Problem[];
} {
  const byName = new Map(components.map((c) => [c.name, c]));
  const waves = new Map<string, number>();
  const problems: Problem[] = [];
  const visiting = new Set<string>();

  const visit = (name: string, chain: readonly string[]): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) {
      problems.push({
        path: `components.${name}.dependsOn`,
        message: `dependency cycle: ${[...chain, name].join(" -> ")}`,
      });
      return 1;
    }
    const component = byName.get(name);
    if (!component) return 1;
    visiting.add(name);
    let wave = 1;
    for (const dep of component.dependsOn) {
      if (!byName.has(dep)) {
        problems.push({
          path: `components.${name}.dependsOn`,
          message: `unknown component "${dep}" (known: ${[...byName.keys()].sort().join(", ")})`,
        });
        continue;
      }
      wave = Math.max(wave, visit(dep, [...chain, name]) + 1);
    }
    visiting.delete(name);
    waves.set(name, wave);
    return wave;
  };

  for (const c of components) visit(c.name, []);
  return { waves, problems };
}
