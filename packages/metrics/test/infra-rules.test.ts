// The alert rules the fragments carry, checked by Prometheus's own tool: `promtool check rules` (syntax,
// PromQL, templates) and `promtool test rules` (each alert fires, or stays quiet, on synthetic series).
// promtool comes from the Debian package `prometheus`. Without it these tests fail in CI and skip locally.
import { describe, expect, it } from "vitest";
import { stack as homelab } from "../../../stack.config.js";
import { needPromtool, promtool, scratchFiles } from "./_promtool.js";
import { ingressNginxAlertRules, ingressNginxMonitoring, metallbMonitoring, type IngressNginxAlertOptions } from "../src/infra/index.js";

const write = scratchFiles("infra-rules-");

interface Rule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The rules of the ingress-nginx fragment, grouped as the chart's PrometheusRule renders them. */
function ingressRules(options?: IngressNginxAlertOptions): Rule[] {
  return ingressNginxMonitoring(homelab, options ? { alertRules: options } : {}).controller?.metrics?.prometheusRule?.rules ?? [];
}

function metallbExtraAlerts(): Rule[] {
  return metallbMonitoring(homelab).prometheus?.prometheusRule?.extraAlerts ?? [];
}

describe("promtool check rules", () => {
  it.for<[string, () => Rule[]]>([
    ["ingress-nginx fragment rules (defaults)", () => ingressRules()],
    ["ingress-nginx rules without the default certificate", () => ingressRules({ includeDefaultCertificate: false })],
    ["ingress-nginx rules with other thresholds", () => ingressRules({ max5xxRatio: 0.125, min5xxRequestRate: 0, certificateWarningDays: 30, certificateCriticalDays: 7 })],
    ["MetalLB extra alert (frr-k8s BGP sessions)", () => metallbExtraAlerts()],
  ])("%s pass", ([name, rules], ctx) => {
    needPromtool(ctx);
    const list = rules();
    expect(list.length).toBeGreaterThan(0);
    const result = promtool("check", "rules", write("rules.yaml", { groups: [{ name: "infra", rules: list }] }));
    expect(result.output).toContain(`SUCCESS: ${list.length} rules found`);
    expect(result.status, `${name}:\n${result.output}`).toBe(0);
  });

  it("fails a broken expression, so the checks above can fail", (ctx) => {
    needPromtool(ctx);
    const broken = { ...(ingressNginxAlertRules()[0] as Rule), expr: "sum(rate(nginx_ingress_controller_requests[5m])" };
    const result = promtool("check", "rules", write("broken.yaml", { groups: [{ name: "infra", rules: [broken] }] }));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("FAILED");
  });
});

/** The rules without annotations: `promtool test rules` would otherwise need every rendered text spelled out. */
function withoutAnnotations(rules: readonly Rule[]): Rule[] {
  return rules.map(({ annotations: _a, ...rest }) => rest);
}

interface Expected {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Record<string, string> }[];
}

function testRules(rules: readonly Rule[], series: { series: string; values: string }[], expected: Expected[]): { status: number | null; output: string } {
  const rulesFile = write("rules.yaml", { groups: [{ name: "infra", rules: withoutAnnotations(rules) }] });
  const testFile = write("test.yaml", {
    rule_files: [rulesFile],
    evaluation_interval: "1m",
    tests: [{ interval: "1m", input_series: series, alert_rule_test: expected }],
  });
  return promtool("test", "rules", testFile);
}

describe("promtool test rules: the alerts fire when they should, and only then", () => {
  const req = (ingress: string, status: string) => `nginx_ingress_controller_requests{exported_namespace="shop",ingress="${ingress}",status="${status}"}`;
  const expiry = (host: string) => `nginx_ingress_controller_ssl_expire_time_seconds{host="${host}"}`;
  const days = 86_400;

  it.for<[string, () => Rule[], { series: string; values: string }[], Expected[]]>([
    [
      "5xx ratio: half the requests fail at 2 req/s; an idle Ingress failing every request stays quiet",
      () => ingressRules(),
      [
        { series: req("web", "500"), values: "0+60x40" },
        { series: req("web", "200"), values: "0+60x40" },
        { series: req("idle", "500"), values: "0+3x40" },
      ],
      [
        { eval_time: "5m", alertname: "NginxIngressHigh5xxRatio", exp_alerts: [] },
        { eval_time: "20m", alertname: "NginxIngressHigh5xxRatio", exp_alerts: [{ exp_labels: { severity: "warning", exported_namespace: "shop", ingress: "web" } }] },
      ],
    ],
    [
      "5xx ratio below the threshold stays quiet",
      () => ingressRules(),
      [
        { series: req("web", "500"), values: "0+1x40" },
        { series: req("web", "200"), values: "0+60x40" },
      ],
      [{ eval_time: "20m", alertname: "NginxIngressHigh5xxRatio", exp_alerts: [] }],
    ],
    [
      "config reload failure, after 5 minutes",
      () => ingressRules(),
      [{ series: 'nginx_ingress_controller_config_last_reload_successful{controller_pod="ingress-nginx-controller-1"}', values: "1 1 0x20" }],
      [
        { eval_time: "4m", alertname: "NginxIngressConfigReloadFailed", exp_alerts: [] },
        { eval_time: "10m", alertname: "NginxIngressConfigReloadFailed", exp_alerts: [{ exp_labels: { severity: "critical", controller_pod: "ingress-nginx-controller-1" } }] },
      ],
    ],
    [
      "certificate 10 days from expiry: a warning for the host and for the default (wildcard) certificate",
      () => ingressRules(),
      [
        { series: expiry("grafana.example.org"), values: `${10 * days}x40` },
        { series: expiry("_"), values: `${10 * days}x40` },
      ],
      [
        {
          eval_time: "20m",
          alertname: "NginxIngressCertificateExpiry",
          exp_alerts: [{ exp_labels: { severity: "warning", host: "_" } }, { exp_labels: { severity: "warning", host: "grafana.example.org" } }],
        },
      ],
    ],
    [
      "certificate 1 day from expiry: warning and critical; without the default certificate only the host",
      () => ingressRules({ includeDefaultCertificate: false }),
      [
        { series: expiry("grafana.example.org"), values: `${1 * days}x40` },
        { series: expiry("_"), values: `${1 * days}x40` },
      ],
      [
        {
          eval_time: "20m",
          alertname: "NginxIngressCertificateExpiry",
          exp_alerts: [{ exp_labels: { severity: "warning", host: "grafana.example.org" } }, { exp_labels: { severity: "critical", host: "grafana.example.org" } }],
        },
      ],
    ],
    [
      "certificate 60 days from expiry stays quiet",
      () => ingressRules(),
      [{ series: expiry("grafana.example.org"), values: `${60 * days}x40` }],
      [{ eval_time: "20m", alertname: "NginxIngressCertificateExpiry", exp_alerts: [] }],
    ],
    [
      "no controller metrics at all, after 15 minutes",
      () => ingressRules(),
      [{ series: 'up{job="something-else"}', values: "1x30" }],
      [
        { eval_time: "10m", alertname: "NginxIngressMetricsAbsent", exp_alerts: [] },
        { eval_time: "20m", alertname: "NginxIngressMetricsAbsent", exp_alerts: [{ exp_labels: { severity: "warning" } }] },
      ],
    ],
    [
      "controller metrics present: the absence alert stays quiet",
      () => ingressRules(),
      [{ series: "nginx_ingress_controller_config_last_reload_successful", values: "1x30" }],
      [{ eval_time: "20m", alertname: "NginxIngressMetricsAbsent", exp_alerts: [] }],
    ],
    [
      "frr-k8s BGP session down for more than a minute",
      () => metallbExtraAlerts(),
      [
        { series: 'frrk8s_bgp_session_up{peer="192.168.1.1",pod="frr-k8s-abcde"}', values: "1 0x10" },
        { series: 'frrk8s_bgp_session_up{peer="192.168.1.2",pod="frr-k8s-abcde"}', values: "1x10" },
      ],
      [{ eval_time: "5m", alertname: "MetalLBFRRK8sBGPSessionDown", exp_alerts: [{ exp_labels: { severity: "critical", peer: "192.168.1.1", pod: "frr-k8s-abcde" } }] }],
    ],
  ])("%s", ([name, rules, series, expected], ctx) => {
    needPromtool(ctx);
    const result = testRules(rules(), series, expected);
    expect(result.status, `${name}:\n${result.output}`).toBe(0);
    expect(result.output).toContain("SUCCESS");
  });
});
