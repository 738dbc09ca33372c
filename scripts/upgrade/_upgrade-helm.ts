// The upgrade report's one Helm call: `helm template` of a complete chart folder with our values.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clusterArgs, findHelm, HelmMissingError } from "@o11y-gitops/template";
import { repoRoot } from "../schemas/update-schemas.js";

/** The pinned helm, found as `pnpm template` finds it ($HELM, .tools/bin/helm, PATH); undefined when there is none. */
export function helmBinary(): string | undefined {
  try {
    return findHelm(repoRoot);
  } catch (e) {
    if (e instanceof HelmMissingError) return undefined;
    throw e;
  }
}

/**
 * `helm template <release> <chartDir> --namespace <ns> -f <values>` with the cluster's flags of `pnpm
 * template` (`clusterArgs`: CRDs included, the kube version and API versions ArgoCD passes): the rendered
 * manifests (multi-document YAML), as ArgoCD renders them.
 */
export function helmTemplate(bin: string, chartDir: string, release: string, namespace: string, values: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "o11y-upgrade-helm-"));
  try {
    const file = join(dir, "values.json");
    writeFileSync(file, JSON.stringify(values));
    return execFileSync(bin, ["template", release, chartDir, "--namespace", namespace, "-f", file, ...clusterArgs()], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const text = (e.stderr ?? e.message).trim();
    const at = text.search(/^Error: /m);
    throw new Error(`helm template ${release} failed: ${(at === -1 ? text : text.slice(at + "Error: ".length)).replace(/\s*\n\s*/g, " ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
