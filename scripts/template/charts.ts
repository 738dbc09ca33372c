// Where each pinned chart's complete source comes from: `--charts-dir DIR`, one folder `<chart>-<version>/`
// (or the `<chart>-<version>.tgz` that `helm pull` writes) per chart, checked against schemas/charts.lock.json.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

export interface LockedChart {
  chart: string;
  version: string;
  repository: string;
}

/** A chart that cannot be used (missing, or not the pinned one): bad input, exit 2. */
export class ChartSourceError extends Error {}

/** The pins of schemas/charts.lock.json, by chart name. */
export function readLock(root: string): Map<string, LockedChart> {
  const lock = JSON.parse(readFileSync(join(root, "schemas", "charts.lock.json"), "utf8")) as { charts: LockedChart[] };
  return new Map(lock.charts.map((c) => [c.chart, c]));
}

/** The `helm pull` command that fills a charts dir with the pinned chart (users with internet). */
export function pullCommand(pin: LockedChart, chartsDir: string): string {
  const oci = pin.repository.startsWith("oci://");
  const ref = oci ? `${pin.repository}/${pin.chart}` : `${pin.chart} --repo ${pin.repository}`;
  return `helm pull ${ref} --version ${pin.version} --untar --untardir ${chartsDir}/${pin.chart}-${pin.version}.tmp && mv ${chartsDir}/${pin.chart}-${pin.version}.tmp/${pin.chart} ${chartsDir}/${pin.chart}-${pin.version}`;
}

/**
 * The chart folder for `chart`@`version`: `<dir>/<chart>-<version>/`, or a `.tgz` of that name unpacked to a
 * temporary folder. Its Chart.yaml must name the chart and the version pinned in the lock.
 */
export function resolveChart(chartsDir: string, chart: string, version: string, lock: ReadonlyMap<string, LockedChart>): string {
  const pin = lock.get(chart);
  if (!pin) throw new ChartSourceError(`${chart}: not pinned in schemas/charts.lock.json`);
  if (pin.version !== version) throw new ChartSourceError(`${chart}: the tree asks for ${version}, schemas/charts.lock.json pins ${pin.version} (run pnpm generate)`);
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
    throw new ChartSourceError(`${dir}/Chart.yaml: is ${String(meta?.name)} ${String(meta?.version)}, schemas/charts.lock.json pins ${chart} ${version}`);
  }
  return dir;
}
