// The real render: `pnpm template --check --charts-dir ../shared/charts-src` on the committed tree, when Helm
// v4.1.4 and the chart sources exist (in CI both do: .ci/run installs Helm, ../shared is present).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { defineStack, render, stackNamespace } from "@o11y-gitops/core";
import { stackInput } from "@o11y-gitops/stack";
import { stack as full } from "../../stack.config.js";
import { main, repoRoot } from "../template.js";
import { HELM_VERSION, runTemplate } from "@o11y-gitops/template";
import { helmForTests } from "../../test-support/helm.js";

const chartsSrc = resolve(repoRoot, "../shared/charts-src");
const found = helmForTests(repoRoot);
const skip = !existsSync(chartsSrc) ? "../shared/charts-src is absent" : found.missing;

describe.skipIf(skip !== undefined)(`pnpm template --check on the committed tree${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("renders every Application and fragment with Helm and every check holds", { timeout: 300_000 }, async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["--check", "--charts-dir", chartsSrc], repoRoot, (l) => out.push(l), (l) => err.push(l));
    expect(err).toEqual([]);
    expect(code).toBe(0);
    for (const name of ["kube-prometheus-stack", "thanos", "loki", "tempo", "alloy", "metallb (fragment)", "ingress-nginx (fragment)", "cert-manager (fragment)", "rook-ceph (fragment)", "rook-ceph-cluster (fragment)"]) {
      expect(out.find((l) => l.startsWith(`${name} `))).toMatch(/ held$/);
    }
  });
});

// A subset renders through the same checks: kube-prometheus-stack without the Thanos sidecar or Tempo links,
// Alloy with its logs pipeline only, Loki, and the fragments left on; the expectations follow the selection.
describe.skipIf(skip !== undefined)(`pnpm template's checks on a subset tree (no Thanos, no traces, no MetalLB fragment)${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("renders what is on with Helm and every check holds", { timeout: 300_000 }, async () => {
    const { components: _all, ...rest } = full;
    const stack = defineStack({ ...rest, components: { thanos: false, tempo: false, infraMonitoring: { metallb: false } } });
    const input = stackInput(stack);
    const tree = render(input);
    expect(tree.problems).toEqual([]);
    const root = mkdtempSync(join(tmpdir(), "o11y-template-subset-"));
    try {
      mkdirSync(join(root, "schemas"));
      cpSync(join(repoRoot, "schemas/charts.lock.json"), join(root, "schemas/charts.lock.json"));
      for (const f of tree.files.values()) {
        mkdirSync(dirname(join(root, f.path)), { recursive: true });
        writeFileSync(join(root, f.path), f.content);
      }
      const result = await runTemplate({
        root,
        chartsDir: chartsSrc,
        stack,
        extraFiles: input.extraFiles ?? [],
        treeSecrets: input.seedSecrets ?? [],
        treeObjects: input.components.flatMap((c) => c.manifests),
        treeNamespaces: [stackNamespace(stack)],
        helm: found.helm as string,
        // The cache `pnpm template` keeps (keyed by chart, flags and values, so shared safely).
        cacheDir: join(repoRoot, "node_modules", ".cache", "o11y-template"),
      });
      expect(result.findings).toEqual([]);
      expect(result.renders.map((r) => r.job.name).sort()).toEqual(
        ["alloy", "kube-prometheus-stack", "loki", "ingress-nginx (fragment)", "rook-ceph (fragment)", "rook-ceph-cluster (fragment)", "cert-manager (fragment)"].sort(),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("pnpm template: bad input", () => {
  it.each([
    [["--charts-dir"], "error: --charts-dir needs a folder"],
    [["--bogus"], "error: unknown argument --bogus (usage: pnpm template [--check] [--charts-dir DIR] [--out DIR] [--no-cache])"],
  ])("%j exits 2: %s", async (argv, message) => {
    const err: string[] = [];
    expect(await main(argv, repoRoot, () => undefined, (l) => err.push(l))).toBe(2);
    expect(err).toEqual([message]);
  });
  it("a charts dir without the pinned charts exits 2 naming the first missing chart and its helm pull", async () => {
    // Helm found (a stand-in that only answers `helm version`, so this runs where Helm is not installed): the
    // charts are checked before anything is rendered.
    const bin = mkdtempSync(join(tmpdir(), "o11y-template-helm-"));
    const standIn = join(bin, "helm");
    writeFileSync(standIn, `#!/bin/sh\n[ "$1" = version ] && { printf ${HELM_VERSION}; exit 0; }\necho "stand-in helm: $*" >&2; exit 1\n`, { mode: 0o755 });
    const saved = process.env.HELM;
    process.env.HELM = standIn;
    const err: string[] = [];
    try {
      expect(await main(["--charts-dir", "/nonexistent-charts"], repoRoot, () => undefined, (l) => err.push(l))).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.HELM;
      else process.env.HELM = saved;
      rmSync(bin, { recursive: true, force: true });
    }
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: alloy 1\.11\.1: no \/nonexistent-charts\/alloy-1\.11\.1\/ \(or \.tgz\) in the charts dir; fetch it with: helm pull alloy --repo https:\/\/grafana\.github\.io\/helm-charts --version 1\.11\.1 /);
  });
});
