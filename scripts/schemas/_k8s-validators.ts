/**
 * The Kubernetes object validators core checks every emitted object with, precompiled into one standalone
 * CommonJS module (generated/src/k8s-objects.validate.cjs), like the chart validators.
 *
 * The source stays kubernetes-models and its CRD packages: the very ajv standalone functions their model
 * classes run (`<package>/_schemas/<Id>.mjs` and everything they import), bundled by esbuild. What is left
 * out is the run-time load around them that never changes a result: the model classes, ajv-i18n's 24 locales
 * (they only localise `err.message`, which nothing reads: messages come from `describeSchemaErrors`), and
 * @kubernetes-models/validate's index. Two substitutions:
 * - `@kubernetes-models/validate` (imported for `formats`) is its own formats module, bundled unchanged;
 * - `@kubernetes-models/validate/runtime/re2` (RE2 for patterns JavaScript cannot express, e.g. `(?i)`) is a
 *   class that builds the very same RE2 on first use, through `useRE2` (core passes re2-wasm's, resolved
 *   where kubernetes-models resolves it), so the WASM module is compiled only when such a field is present.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** The kinds core may emit: `<apiVersion>/<kind>` → the package and its schema module's id. */
export const K8S_KINDS: readonly (readonly [key: string, pkg: string, id: string])[] = [
  ["v1/Namespace", "kubernetes-models", "IoK8sApiCoreV1Namespace"],
  ["v1/Secret", "kubernetes-models", "IoK8sApiCoreV1Secret"],
  ["v1/ConfigMap", "kubernetes-models", "IoK8sApiCoreV1ConfigMap"],
  ["v1/Service", "kubernetes-models", "IoK8sApiCoreV1Service"],
  ["networking.k8s.io/v1/Ingress", "kubernetes-models", "IoK8sApiNetworkingV1Ingress"],
  ["argoproj.io/v1alpha1/Application", "@kubernetes-models/argo-cd", "ArgoprojIoV1alpha1Application"],
  ["argoproj.io/v1alpha1/AppProject", "@kubernetes-models/argo-cd", "ArgoprojIoV1alpha1AppProject"],
  ["kustomize.toolkit.fluxcd.io/v1/Kustomization", "@kubernetes-models/flux-cd", "KustomizeToolkitFluxcdIoV1Kustomization"],
  ["monitoring.coreos.com/v1/ServiceMonitor", "@kubernetes-models/prometheus-operator", "MonitoringCoreosComV1ServiceMonitor"],
  ["monitoring.coreos.com/v1/PodMonitor", "@kubernetes-models/prometheus-operator", "MonitoringCoreosComV1PodMonitor"],
  ["monitoring.coreos.com/v1/PrometheusRule", "@kubernetes-models/prometheus-operator", "MonitoringCoreosComV1PrometheusRule"],
];

const LAZY_RE2 = `let make;
export function useRE2(ctor) { make = ctor; }
export default class LazyRE2 {
  constructor(source, flags) { this.source = source; this.flags = flags; this.re = undefined; }
  test(s) {
    if (this.re === undefined) {
      if (make === undefined) throw new Error("k8s-objects.validate.cjs: useRE2() was not called");
      this.re = new (make())(this.source, this.flags);
    }
    return this.re.test(s);
  }
}
`;

/** Resolves a package's folder from the repository root (where the catalog installs it). */
const packageDir = (pkg: string): string => dirname(createRequire(join(repoRoot, "package.json")).resolve(`${pkg}/package.json`));

export async function k8sObjectValidators(header: string): Promise<string> {
  const k8sValidate = join(dirname(createRequire(join(packageDir("kubernetes-models"), "index.js")).resolve("@kubernetes-models/validate")), "formats.mjs");
  const plugin: Plugin = {
    name: "k8s-validate-runtime",
    setup(b) {
      b.onResolve({ filter: /^@kubernetes-models\/validate$/ }, () => ({ path: k8sValidate }));
      b.onResolve({ filter: /^@kubernetes-models\/validate\/runtime\/re2$/ }, () => ({ path: "lazy-re2", namespace: "o11y" }));
      b.onLoad({ filter: /^lazy-re2$/, namespace: "o11y" }, () => ({ contents: LAZY_RE2, loader: "js" }));
    },
  };
  const entry = [
    `export { useRE2 } from "@kubernetes-models/validate/runtime/re2";`,
    ...K8S_KINDS.map(([, pkg, id], i) => `import { validate as v${i} } from ${JSON.stringify(join(packageDir(pkg), "_schemas", `${id}.mjs`))};`),
    `export const validators = {`,
    ...K8S_KINDS.map(([key], i) => `  ${JSON.stringify(key)}: v${i},`),
    `};`,
  ].join("\n");
  const out = await build({
    stdin: { contents: entry, resolveDir: repoRoot, loader: "js", sourcefile: "k8s-objects.entry.js" },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    write: false,
    legalComments: "none",
    charset: "utf8",
    plugins: [plugin],
    logLevel: "silent",
  });
  const code = out.outputFiles[0]?.text;
  if (code === undefined) throw new Error("esbuild produced no output for the Kubernetes object validators");
  // Paths esbuild writes into comments are machine-specific; make them relative to node_modules' store.
  return `${header}\n${code.replace(/\/\/ .*node_modules\/\.pnpm\/([^\n]*)/g, "// $1").replace(/\/\/ [^\n]*(?:k8s-objects\.entry\.js|o11y:lazy-re2)\n/g, "")}`;
}

export const K8S_VALIDATORS_DTS = `/** A standalone ajv validator of one Kubernetes kind (kubernetes-models' own). */
export interface K8sSchemaValidator {
  (data: unknown): boolean;
  /** The errors of the last call, null when it passed. */
  errors?: { instancePath: string; schemaPath: string; keyword: string; params: Record<string, unknown>; message?: string }[] | null;
}
/** Every kind core may emit, keyed by \`<apiVersion>/<kind>\`. */
export declare const validators: Readonly<Record<string, K8sSchemaValidator>>;
/** The RE2 class for patterns JavaScript's RegExp cannot express, loaded on first use. */
export declare function useRE2(load: () => new (source: string, flags: string) => { test(s: string): boolean }): void;
`;
