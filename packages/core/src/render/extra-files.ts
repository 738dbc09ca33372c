// Files outside the Helm/ArgoCD flow (Docker-host Alloy, values fragments for other releases), with their headers.
import type { ChartPin } from "../argocd.js";
import type { ExtraFile } from "../component.js";
import { yamlFile } from "../yaml.js";
import type { ValuesValidator } from "./index.js";
import { seedHeader, type Tree } from "./tree.js";

/** Each extra file; a values fragment (`valuesOf`) is checked against its pinned chart's schema. */
export function renderExtraFiles(
  tree: Tree,
  extraFiles: readonly ExtraFile[],
  pins: Readonly<Record<string, ChartPin>>,
  validateValues: ValuesValidator,
): void {
  const { header, problems } = tree;
  for (const f of extraFiles) {
    if ("yaml" in f) {
      if (f.valuesOf !== undefined) {
        if (!pins[f.valuesOf]) {
          problems.push({ path: f.path, message: `chart "${f.valuesOf}" is not pinned in schemas/charts.lock.json` });
        } else {
          for (const e of validateValues(f.valuesOf, f.yaml)) {
            problems.push({ path: `${f.path} (${f.valuesOf} values): ${e.path}`, message: e.message });
          }
        }
      }
      tree.add(f.path, yamlFile([...header, ...(f.header ?? [])], [f.yaml]));
    } else {
      const prefix = f.commentPrefix ?? (/\.(ya?ml|env)$/.test(f.path) ? "#" : "//");
      const lines = f.seedOnce ? seedHeader(tree.command) : [header[0]!];
      const body = f.text.endsWith("\n") ? f.text : `${f.text}\n`;
      tree.add(f.path, `${lines.map((l) => `${prefix} ${l}`).join("\n")}\n${body}`, f.seedOnce ? "seed-once" : "generated");
    }
  }
}
