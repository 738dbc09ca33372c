// The committed example reports (docs/upgrades/) are golden files: each must reproduce from the script.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, renderReport, reportFor, repoRoot } from "../upgrade-report.js";

const SHARED = join(repoRoot, "../shared/charts");
const TARGETS: [string, string][] = [
  ["loki", "18.11.0"],
  ["kube-prometheus-stack", "88.5.3"],
  ["tempo", "2.2.4"],
];
const haveCharts = existsSync(SHARED);

describe.skipIf(!haveCharts)(`docs/upgrades reports reproduce${haveCharts ? "" : " (skipped: ../shared/charts is absent, the chart data is not in a clone)"}`, () => {
  it.each(TARGETS)("%s %s", async (chart, version) => {
    const args = parseArgs([chart, version, "--charts-dir", "../shared/charts", "--charts-dir", "../shared/charts-next"]);
    const report = await reportFor(args, repoRoot);
    const stem = join(repoRoot, "docs/upgrades", `${chart}-${version}`);
    expect(renderReport(report, false)).toBe(readFileSync(`${stem}.md`, "utf8"));
    expect(renderReport(report, true)).toBe(readFileSync(`${stem}.json`, "utf8"));
    expect(report.exitCode).toBe(0);
  });
});
