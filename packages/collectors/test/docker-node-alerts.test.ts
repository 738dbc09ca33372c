// A full disk on a Docker host alerts: kube-prometheus-stack's own node-exporter rules, rendered by the real
// Helm from the committed values, fire on series labelled as the Docker-host Alloy config labels them (and
// would not with Alloy's default job="integrations/unix"). Needs Helm (found as `pnpm template` finds it: $HELM,
// .tools/bin/helm, where .ci/run installs it, or PATH), promtool and the pinned chart sources
// (../shared/charts-src); skipped with the reason when any is missing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dockerAlloyConfig } from "@o11y-gitops/collectors";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { stack } from "../../../stack.config.js";
import { helmForTests } from "../../../test-support/helm.js";
import { component, ruleTargets } from "./_model.js";

const repo = resolve(import.meta.dirname, "../../..");
const chart = resolve(repo, "../shared/charts-src/kube-prometheus-stack-81.6.9");
const values = resolve(repo, "kubernetes/apps/monitoring/values/kube-prometheus-stack.yaml");
const has = (cmd: string, arg: string) => spawnSync(cmd, [arg], { encoding: "utf8" }).status === 0;
const { helm } = helmForTests(repo);
const missing = [
  ...(helm !== undefined ? [] : ["helm"]),
  ...(has("promtool", "--version") ? [] : ["promtool"]),
  ...(existsSync(chart) ? [] : ["../shared/charts-src/kube-prometheus-stack-81.6.9"]),
];
const dir = mkdtempSync(join(tmpdir(), "docker-node-alerts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The node-exporter alert rules kube-prometheus-stack renders for the committed values. */
function kpsNodeExporterRules(): Rule[] {
  const r = spawnSync(
    helm as string,
    ["template", stack.releases.kubePrometheusStack, chart, "-n", stack.namespace, "-f", values, "--kube-version", "1.33", "--api-versions", "monitoring.coreos.com/v1"],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  expect(r.status, r.stderr).toBe(0);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { groups: { rules: Rule[] }[] } } | null);
  const rule = docs.find((d) => d?.kind === "PrometheusRule" && d.metadata?.name === `${stack.releases.kubePrometheusStack}-node-exporter`);
  return (rule?.spec?.groups ?? []).flatMap((g) => g.rules).filter((x) => x.alert !== undefined);
}

/** The job label the Docker-host config gives node_exporter's targets (read from the config model). */
function dockerHostJob(): string {
  const [job] = ruleTargets(component(dockerAlloyConfig(stack), "discovery.relabel", "host"));
  return job?.replacement?.kind === "string" ? job.replacement.value : "";
}

const title = missing.length === 0
  ? "kube-prometheus-stack's NodeFilesystemAlmostOutOfSpace fires for a Docker host's full disk"
  : `kube-prometheus-stack's node alerts cover Docker hosts — skipped: ${missing.join(", ")} not available`;

describe("Docker hosts in kube-prometheus-stack's node alerts", () => {
  it.skipIf(missing.length > 0)(title, () => {
    const rules = kpsNodeExporterRules().filter((r) => r.alert === "NodeFilesystemAlmostOutOfSpace");
    expect(rules).toHaveLength(2);
    const rulesFile = join(dir, "rules.yaml");
    writeFileSync(rulesFile, stringify({ groups: [{ name: "node", rules: rules.map(({ annotations: _a, ...r }) => r) }] }));
    const fs = (job: string, host: string) => `{job="${job}",source="docker",instance="${host}",device="/dev/sda1",fstype="ext4",mountpoint="/"}`;
    const job = dockerHostJob();
    expect(job).toBe("node-exporter");
    const run = (j: string, alerts: { exp_labels: Record<string, string> }[]) => {
      const testFile = join(dir, `test-${j.replace(/\W/g, "_")}.yaml`);
      writeFileSync(
        testFile,
        stringify({
          rule_files: [rulesFile],
          evaluation_interval: "1m",
          tests: [
            {
              interval: "1m",
              input_series: [
                { series: `node_filesystem_avail_bytes${fs(j, "docker-1")}`, values: "2x60" },
                { series: `node_filesystem_size_bytes${fs(j, "docker-1")}`, values: "100x60" },
                { series: `node_filesystem_readonly${fs(j, "docker-1")}`, values: "0x60" },
              ],
              alert_rule_test: [{ eval_time: "45m", alertname: "NodeFilesystemAlmostOutOfSpace", exp_alerts: alerts }],
            },
          ],
        }),
      );
      const r = spawnSync("promtool", ["test", "rules", testFile], { encoding: "utf8" });
      return { status: r.status, output: `${r.stdout}${r.stderr}` };
    };
    const labels = (severity: string) => ({ severity, job, source: "docker", instance: "docker-1", device: "/dev/sda1", fstype: "ext4", mountpoint: "/" });
    const fired = run(job, [{ exp_labels: labels("warning") }, { exp_labels: labels("critical") }]);
    expect(fired.status, fired.output).toBe(0);
    // Alloy's default job for prometheus.exporter.unix: the same disk goes unnoticed.
    const unnoticed = run("integrations/unix", []);
    expect(unnoticed.status, unnoticed.output).toBe(0);
  });
});
