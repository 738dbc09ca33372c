// Small in-memory renders for the template checks' tests.
import type { RenderJob } from "../src/plan.js";
import type { Rendered, RenderedObject } from "../src/objects.js";

export function job(name: string, namespace = "monitoring", over: Partial<RenderJob> = {}): RenderJob {
  return { name, chart: name, version: "1.0.0", release: name, namespace, valueFiles: [], kind: "application", ...over };
}

export function rendered(j: RenderJob | string, objects: RenderedObject[], error?: string): Rendered {
  const jj = typeof j === "string" ? job(j) : j;
  return { job: jj, objects, ms: 1, text: "", ...(error !== undefined ? { error } : {}) };
}

export function service(name: string, namespace: string, ports: { port: number; targetPort?: number | string; name?: string }[], selector: Record<string, string>): RenderedObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { selector, ports } };
}

export function deployment(name: string, namespace: string, labels: Record<string, string>, ports: { containerPort: number; name?: string }[]): RenderedObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "main", image: "x:1", ports }] } } },
  };
}
