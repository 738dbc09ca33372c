import { describe, expect, it } from "vitest";
import { lokiEndpoints } from "@o11y-gitops/logs";
import { tempoEndpoints } from "@o11y-gitops/traces";
import { grafanaDatasources, kubePrometheusStackValues } from "../src/index.js";
import { homelab, leaves, withStack } from "./_helpers.js";

const [thanos, loki, tempo] = grafanaDatasources(homelab);

describe("grafanaDatasources", () => {
  it("points at the seed's Thanos Query, Loki and Tempo addresses", () => {
    expect(grafanaDatasources(homelab).map((d) => [d.name, d.type, d.uid, d.url, d.isDefault])).toEqual([
      ["Thanos", "prometheus", "thanos", "http://thanos-query.monitoring.svc:9090", true],
      ["Loki", "loki", "loki", "http://loki.monitoring.svc:3100", false],
      ["Tempo", "tempo", "tempo", "http://tempo.monitoring.svc:3200", false],
    ]);
    expect(loki!.url).toBe(lokiEndpoints(homelab).queryUrl);
    expect(tempo!.url).toBe(tempoEndpoints(homelab).queryUrl);
  });

  it("sends the stack's Loki tenant as X-Scope-OrgID", () => {
    expect(loki!.jsonData.httpHeaderName1).toBe("X-Scope-OrgID");
    expect(loki!.secureJsonData).toEqual({ httpHeaderValue1: "homelab" });
    const other = grafanaDatasources(withStack((s) => ({ ...s, lokiTenant: "team-a" })));
    expect(other[1]!.secureJsonData).toEqual({ httpHeaderValue1: "team-a" });
  });

  it("links exemplars, log lines and spans to each other by datasource uid", () => {
    const uids = new Set(grafanaDatasources(homelab).map((d) => d.uid));
    expect(thanos!.jsonData.exemplarTraceIdDestinations).toEqual([{ name: "trace_id", datasourceUid: "tempo", urlDisplayLabel: "View trace" }]);
    const derived = (loki!.jsonData.derivedFields as { datasourceUid: string; url: string }[])[0]!;
    expect(derived.datasourceUid).toBe("tempo");
    expect(tempo!.jsonData).toMatchObject({
      tracesToLogsV2: { datasourceUid: "loki", filterByTraceID: true },
      serviceMap: { datasourceUid: "thanos" },
      nodeGraph: { enabled: true },
      lokiSearch: { datasourceUid: "loki" },
    });
    const referenced = leaves(grafanaDatasources(homelab))
      .filter(([p]) => p.endsWith("datasourceUid"))
      .map(([, v]) => v);
    expect(referenced.length).toBeGreaterThan(0);
    for (const uid of referenced) expect(uids.has(uid as string)).toBe(true);
  });

  it("links a span to its service's span metrics (Tempo's generator) and the service map, both through Thanos", () => {
    expect(tempo!.jsonData.tracesToMetrics).toEqual({
      datasourceUid: "thanos",
      spanStartTimeShift: "-5m",
      spanEndTimeShift: "5m",
      tags: [{ key: "service.name", value: "service" }],
      queries: [
        { name: "Request rate", query: "sum(rate(traces_spanmetrics_calls_total{$$__tags}[5m]))" },
        { name: "p95 latency", query: "histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$$__tags}[5m])))" },
      ],
    });
    expect(tempo!.jsonData.serviceMap).toEqual({ datasourceUid: "thanos" });
  });

  it.each([
    ["logfmt", 'level=info msg="done" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7', "4bf92f3577b34da6a3ce929d0e0e4736"],
    ["JSON", '{"level":"info","traceID":"0af7651916cd43dd8448eb211c80319c"}', "0af7651916cd43dd8448eb211c80319c"],
    ["JSON with a space", '{"trace_id": "abc123"}', "abc123"],
  ])("finds the trace id in a %s log line", (_form, line, id) => {
    const derived = (loki!.jsonData.derivedFields as { matcherRegex: string }[])[0]!;
    expect(new RegExp(derived.matcherRegex).exec(line)?.[1]).toBe(id);
  });

  it("escapes Grafana's own ${…} link variables from provisioning's environment expansion", () => {
    const derived = (loki!.jsonData.derivedFields as { url: string }[])[0]!;
    expect(derived.url).toBe("$${__value.raw}");
    for (const [path, v] of leaves(grafanaDatasources(homelab))) {
      if (typeof v !== "string") continue;
      // Every `$` is doubled (the values also pass through kube-prometheus-stack's `tpl`: no `{{`).
      expect(v.replaceAll("$$", ""), path).not.toContain("$");
      expect(v, path).not.toContain("{{");
    }
  });

  it("is what kube-prometheus-stack provisions as its additional datasources", () => {
    expect(kubePrometheusStackValues(homelab).grafana?.additionalDataSources).toEqual(grafanaDatasources(homelab));
  });
});
