/**
 * One measurement of `pnpm bench`, run in its own cold process with plain node on the compiled workspace
 * (`node --conditions=o11y-dist .tsbuild/scripts/scripts/bench/_bench-worker.js <mode> …`). Prints one JSON line.
 *
 *   validate           values of every component (schemaValidator), every rendered Kubernetes object (kubernetes-models)
 *                      and the tree policy, each timed on first use in this process
 *   scale <n> <dir> [--check]
 *                      render and write n stacks (clusters named cluster-000…) into <dir>/<cluster>/; with
 *                      --check, `generate --check` them against what an earlier run wrote there (reads only)
 *   render <n>         render n stacks in memory with every check (values, objects, policy), no file system
 */
import { join } from "node:path";
import { validateValues, type ChartName } from "@o11y-gitops/chart-values";
import { checkTreePolicy, parseYaml, render, runGenerate, validateK8sObject, type K8sObject, type Stack } from "@o11y-gitops/core";
import { stackInput } from "@o11y-gitops/stack";
import { stack } from "../../stack.config.js";

/** A variant of this homelab's stack for cluster `i`: its own cluster name and domain. */
export function clusterStack(base: Stack, i: number): Stack {
  const cluster = `cluster-${String(i).padStart(3, "0")}`;
  return { ...base, cluster, domain: `${cluster}.example.net` };
}

function isObject(v: unknown): v is K8sObject {
  return typeof v === "object" && v !== null && "apiVersion" in v && "kind" in v;
}

async function main(argv: readonly string[]): Promise<Record<string, number>> {
  const [mode, ...rest] = argv;
  if (mode === "validate") {
    const input = stackInput(stack);
    let t = performance.now();
    let values = 0;
    for (const c of input.components) {
      const errors = validateValues(c.chart as ChartName, c.values);
      if (errors.length > 0) throw new Error(`${c.name}: ${JSON.stringify(errors)}`);
      values++;
    }
    const valuesMs = performance.now() - t;
    // The rendered tree without its own validation, then every object in it, parsed back from the files.
    const { policy: policyOptions, ...unchecked } = input;
    const { files } = render({ ...unchecked, validateValues: () => [] });
    t = performance.now();
    let objects = 0;
    for (const f of files.values()) {
      if (!f.path.endsWith(".yaml") || f.path.includes("/values/") || f.path.endsWith(".values.yaml") || f.path === ".sops.yaml") continue;
      if (f.path.startsWith("docker/")) continue;
      for (const doc of parseYaml(f.content, "1.1")) {
        if (!isObject(doc)) continue;
        const error = validateK8sObject(doc);
        if (error) throw new Error(`${f.path}: ${error}`);
        objects++;
      }
    }
    const k8sMs = performance.now() - t;
    t = performance.now();
    if (!policyOptions) throw new Error("stackInput gave no policy");
    const policy = checkTreePolicy([...files.values()], policyOptions);
    const policyMs = performance.now() - t;
    if (policy.errors.length > 0) throw new Error(JSON.stringify(policy.errors));
    return { valuesMs, values, k8sMs, objects, policyMs, files: files.size };
  }
  if (mode === "scale") {
    const n = Number(rest[0]);
    const dir = rest[1];
    const check = rest[2] === "--check";
    if (!Number.isInteger(n) || n < 1 || !dir) throw new Error("usage: scale <n> <dir> [--check]");
    const t = performance.now();
    let files = 0;
    for (let i = 0; i < n; i++) {
      const s = clusterStack(stack, i);
      const code = await runGenerate(() => stackInput(s), {
        root: join(dir, s.cluster),
        check,
        out: (l) => {
          const m = /^generate(?: --check)?: (\d+) files/.exec(l);
          if (m) files += Number(m[1]);
        },
        err: () => {},
      });
      if (code !== 0) throw new Error(`${s.cluster}: generate exited ${code}`);
    }
    return { stacks: n, renderMs: performance.now() - t, processMs: performance.now(), files };
  }
  if (mode === "render") {
    const n = Number(rest[0]);
    if (!Number.isInteger(n) || n < 1) throw new Error("usage: render <n>");
    const t = performance.now();
    let files = 0;
    for (let i = 0; i < n; i++) {
      const result = render(stackInput(clusterStack(stack, i)));
      if (result.problems.length > 0) throw new Error(`cluster ${i}: ${JSON.stringify(result.problems)}`);
      files += result.files.size;
    }
    return { stacks: n, renderMs: performance.now() - t, files };
  }
  throw new Error(`unknown mode ${String(mode)}`);
}

const result = await main(process.argv.slice(2));
process.stdout.write(`${JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS })}\n`);
