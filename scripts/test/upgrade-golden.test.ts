// The committed example reports (docs/upgrades/) are golden files: each must reproduce from the script.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { helmBinary } from "../upgrade/_upgrade-helm.js";
import { parseArgs, renderReport, reportFor, repoRoot } from "../upgrade/upgrade-report.js";

const SHARED = join(repoRoot, "../shared/charts");
// [chart, target, exit code the report must give]: loki 18.11.0 drops two keys the Loki builder sets.
const TARGETS: [string, string, number][] = [
  ["loki", "18.11.0", 1],
  ["kube-prometheus-stack", "88.5.3", 0],
  ["tempo", "2.2.4", 0],
];
const haveCharts = ["charts", "charts-src", "charts-next"].every((d) => existsSync(join(SHARED, "..", d)));
const haveHelm = helmBinary() !== undefined;
const why = !haveCharts ? " (skipped: ../shared/charts, charts-src or charts-next is absent: the chart data is not in a clone)" : !haveHelm ? " (skipped: the pinned helm is not installed ($HELM, .tools/bin/helm, PATH), section 4 would differ)" : "";

describe.skipIf(!haveCharts || !haveHelm)(`docs/upgrades reports reproduce${why}`, () => {
  it.each(TARGETS)("%s %s (exit %i)", async (chart, version, exitCode) => {
    const args = parseArgs([chart, version, "--charts-dir", "../shared/charts", "--charts-dir", "../shared/charts-src", "--charts-dir", "../shared/charts-next"]);
    const report = await reportFor(args, repoRoot);
    const stem = join(repoRoot, "docs/upgrades", `${chart}-${version}`);
    expect(renderReport(report, false)).toBe(readFileSync(`${stem}.md`, "utf8"));
    expect(renderReport(report, true)).toBe(readFileSync(`${stem}.json`, "utf8"));
    expect(report.exitCode).toBe(exitCode);
  });
});
