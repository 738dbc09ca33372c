// Where each pinned chart's complete source comes from: `--charts-dir DIR`, one folder `<chart>-<version>/`
// (or the `<chart>-<version>.tgz` that `helm pull` writes) per chart, checked against the pins that
// @o11y-gitops/chart-values ships (`charts`).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { charts } from "@o11y-gitops/chart-values";
import { parse } from "yaml";
import { DEFAULT_NAMING, type TemplateNaming } from "./naming.js";

/** One chart pin: name, version and the repository `helm pull` fetches it from. */
export interface LockedChart {
  chart: string;
  version: string;
  repository: string;
}

/** A chart that cannot be used (missing, or not the pinned one): bad input, exit 2. */
export class ChartSourceError extends Error {}

/** The pins @o11y-gitops/chart-values ships (`charts`, written from the lock by codegen), by chart name. */
export function readLock(): Map<string, LockedChart> {
  return new Map(Object.values(charts).map((c) => [c.chart, { chart: c.chart, version: c.version, repository: c.repository }]));
}

/** The `helm pull` command that fills a charts dir with the pinned chart (users with internet). */
export function pullCommand(pin: LockedChart, chartsDir: string): string {
  const oci = pin.repository.startsWith("oci://");
  const ref = oci ? `${pin.repository}/${pin.chart}` : `${pin.chart} --repo ${pin.repository}`;
  return `helm pull ${ref} --version ${pin.version} --untar --untardir ${chartsDir}/${pin.chart}-${pin.version}.tmp && mv ${chartsDir}/${pin.chart}-${pin.version}.tmp/${pin.chart} ${chartsDir}/${pin.chart}-${pin.version}`;
}

/**
 * The chart folder for `chart`@`version`: `<dir>/<chart>-<version>/`, or a `.tgz` of that name unpacked to a
 * temporary folder. Its Chart.yaml must name the chart and the version pinned in the lock. `naming` says what
 * the messages call the pin list and the generate command.
 */
export function resolveChart(chartsDir: string, chart: string, version: string, lock: ReadonlyMap<string, LockedChart>, naming: Pick<TemplateNaming, "pins" | "generate"> = DEFAULT_NAMING): string {
  const pin = lock.get(chart);
  if (!pin) throw new ChartSourceError(`${chart}: not pinned in ${naming.pins}`);
  if (pin.version !== version) throw new ChartSourceError(`${chart}: the tree asks for ${version}, ${naming.pins} pins ${pin.version} (run ${naming.generate})`);
  const folder = join(chartsDir, `${chart}-${version}`);
  const tgz = `${folder}.tgz`;
  let dir: string;
  if (existsSync(join(folder, "Chart.yaml"))) {
    dir = folder;
  } else if (existsSync(tgz)) {
    const out = mkdtempSync(join(tmpdir(), `o11y-chart-${chart}-`));
    try {
      execFileSync("tar", ["-xzf", tgz, "-C", out], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (err) {
      throw new ChartSourceError(`${tgz}: cannot unpack: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`);
    }
    dir = join(out, chart);
  } else {
    throw new ChartSourceError(`${chart} ${version}: no ${folder}/ (or .tgz) in the charts dir; fetch it with: ${pullCommand(pin, chartsDir)}`);
  }
  const chartYaml = join(dir, "Chart.yaml");
  if (!existsSync(chartYaml)) throw new ChartSourceError(`${dir}: no Chart.yaml`);
  const meta = parse(readFileSync(chartYaml, "utf8")) as { name?: unknown; version?: unknown } | null;
  if (meta?.name !== chart || String(meta?.version) !== version) {
    throw new ChartSourceError(`${dir}/Chart.yaml: is ${String(meta?.name)} ${String(meta?.version)}, ${naming.pins} pins ${chart} ${version}`);
  }
  return dir;
}
