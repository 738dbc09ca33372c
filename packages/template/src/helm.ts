// The only place Helm runs: `helm template` of one job with the cluster's flags, and the rendered stream parsed
// into objects. Everything downstream works on those objects.
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { DEFAULT_NAMING, HELM_VERSION, type TemplateNaming } from "./naming.js";
import { clusterArgs } from "./cluster.js";
import type { RenderJob } from "./plan.js";
import type { Rendered, RenderedObject } from "./objects.js";

/** Helm missing or the wrong version: an I/O-level failure of the tool (exit 3). */
export class HelmMissingError extends Error {}

/**
 * `$HELM`, else `<root>/.tools/bin/helm`, else `helm` on PATH; it must report the pinned version. `naming`
 * names the command and how to get Helm in the messages.
 */
export function findHelm(root: string, env: NodeJS.ProcessEnv = process.env, naming: Pick<TemplateNaming, "template" | "installHelm"> = DEFAULT_NAMING): string {
  const candidates = [env.HELM, join(root, ".tools", "bin", "helm"), "helm"].filter((c): c is string => !!c);
  for (const c of candidates) {
    if (c !== "helm" && !existsSync(c)) continue;
    let version: string;
    try {
      version = execFileSync(c, ["version", "--template", "{{.Version}}"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      continue;
    }
    if (version !== HELM_VERSION) throw new HelmMissingError(`${c} is Helm ${version}; ${naming.template} needs ${HELM_VERSION} (${naming.installHelm})`);
    return c;
  }
  throw new HelmMissingError(`helm ${HELM_VERSION} not found ($HELM, ${join(root, ".tools", "bin", "helm")}, PATH): ${naming.installHelm}`);
}

/** Parse a rendered stream into objects, each with the template it came from (`# Source:`). */
export function parseRendered(text: string): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    const value = doc.toJS({ maxAliasCount: -1 }) as RenderedObject | null;
    if (value === null || typeof value !== "object") continue;
    const source = /# Source: (\S+)/.exec(doc.commentBefore ? `# ${doc.commentBefore}` : "")?.[1];
    out.push(source ? Object.defineProperty(value, "__source", { value: source, enumerable: false }) : value);
  }
  return out;
}

/** The argv of `helm template` for a job, value files given as absolute paths (or overridden, for probes). */
export function templateArgs(job: RenderJob, chartDir: string, valueFiles: readonly string[], extraArgs: readonly string[] = []): string[] {
  return ["template", job.release, chartDir, "--namespace", job.namespace, ...valueFiles.flatMap((f) => ["--values", f]), ...clusterArgs(), ...extraArgs];
}

/** At most this many Helm processes at once, across every caller: one per core, plus one to overlap start-up. */
let slots = availableParallelism() + 1;
const waiting: (() => void)[] = [];
/** Set how many Helm processes may run at once (default: one per core, plus one). */
export function setHelmConcurrency(n: number): void {
  slots = n;
}
async function acquire(): Promise<void> {
  if (slots > 0) {
    slots--;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}
function release(): void {
  const next = waiting.shift();
  if (next) next();
  else slots++;
}

/** Run `helm template` for a job; never throws for a chart that refuses its values (that is `error`). */
export async function helmTemplate(helm: string, job: RenderJob, chartDir: string, valueFiles: readonly string[], extraArgs: readonly string[] = []): Promise<Rendered> {
  await acquire();
  try {
    return await runHelmTemplate(helm, job, chartDir, valueFiles, extraArgs);
  } finally {
    release();
  }
}

function runHelmTemplate(helm: string, job: RenderJob, chartDir: string, valueFiles: readonly string[], extraArgs: readonly string[]): Promise<Rendered> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(helm, templateArgs(job, chartDir, valueFiles, extraArgs), { maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (err, stdout, stderr) => {
      const ms = performance.now() - started;
      if (err) {
        const message = (stderr || err.message).trim().replace(/^Error: /, "");
        resolve({ job, objects: [], error: message, ms, text: "" });
        return;
      }
      resolve({ job, objects: parseRendered(stdout), ms, text: stdout });
    });
  });
}
