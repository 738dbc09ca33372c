// The upgrade report's one Helm call: `helm template` of a complete chart folder with our values.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The helm binary: $HELM, else `helm` on PATH; undefined when neither runs. */
export function helmBinary(): string | undefined {
  const bin = process.env.HELM ?? "helm";
  try {
    execFileSync(bin, ["version", "--short"], { stdio: "ignore" });
    return bin;
  } catch {
    return undefined;
  }
}

/**
 * `helm template <release> <chartDir> --namespace <ns> --include-crds -f <values>`: the rendered manifests
 * (multi-document YAML), CRDs included as ArgoCD renders them.
 */
export function helmTemplate(bin: string, chartDir: string, release: string, namespace: string, values: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "o11y-upgrade-helm-"));
  try {
    const file = join(dir, "values.json");
    writeFileSync(file, JSON.stringify(values));
    return execFileSync(bin, ["template", release, chartDir, "--namespace", namespace, "--include-crds", "-f", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const text = (e.stderr ?? e.message).trim();
    const at = text.search(/^Error: /m);
    throw new Error(`helm template ${release} failed: ${(at === -1 ? text : text.slice(at + "Error: ".length)).replace(/\s*\n\s*/g, " ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
