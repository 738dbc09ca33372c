import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatProblem, StackError, stackConfigProblems, type Problem, type Stack } from "@o11y-gitops/core";
import { checkMetrics, kubePrometheusStackComponent, thanosComponent } from "../src/index.js";
import { homelab, withRetention, withStack } from "./_helpers.js";

const NOT_A_DURATION = "is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)";

describe("checkMetrics", () => {
  it("finds nothing wrong with the homelab stack", () => {
    expect(checkMetrics(homelab)).toEqual([]);
  });

  it.each<[string, Stack, Problem[]]>([
    [
      "raw retention below 40h",
      withRetention({ metricsRaw: "24h" }),
      [{ path: "stack.retention.metricsRaw", message: `"24h" is below Thanos' 40h minimum for raw retention while downsampling is on` }],
    ],
    [
      "raw retention one hour short",
      withRetention({ metricsRaw: "39h" }),
      [{ path: "stack.retention.metricsRaw", message: `"39h" is below Thanos' 40h minimum for raw retention while downsampling is on` }],
    ],
    [
      "5m retention below 10d",
      withRetention({ metrics5m: "9d" }),
      [{ path: "stack.retention.metrics5m", message: `"9d" is below Thanos' 10d minimum for 5m retention while downsampling is on` }],
    ],
    [
      "5m retention shorter than raw",
      withRetention({ metricsRaw: "30d", metrics5m: "20d" }),
      [{ path: "stack.retention.metrics5m", message: `"20d" is shorter than the raw retention "30d" (Thanos needs raw ≤ 5m ≤ 1h)` }],
    ],
    [
      "1h retention shorter than 5m",
      withRetention({ metrics1h: "20d" }),
      [{ path: "stack.retention.metrics1h", message: `"20d" is shorter than the 5m retention "30d" (Thanos needs raw ≤ 5m ≤ 1h)` }],
    ],
    [
      "raw kept forever (0d) but 5m not",
      withRetention({ metricsRaw: "0d" }),
      [{ path: "stack.retention.metrics5m", message: `"30d" is shorter than the raw retention "0d" (Thanos needs raw ≤ 5m ≤ 1h)` }],
    ],
    [
      "a retention in words",
      withRetention({ metricsRaw: "7 days" }),
      [{ path: "stack.retention.metricsRaw", message: `"7 days" ${NOT_A_DURATION}` }],
    ],
    [
      "a compound retention",
      withRetention({ metrics1h: "1h30m" }),
      [{ path: "stack.retention.metrics1h", message: `"1h30m" ${NOT_A_DURATION}` }],
    ],
    [
      "Prometheus keeping less than two blocks",
      withRetention({ prometheusLocal: "3h", remoteWriteBackfill: "2h" }),
      [
        {
          path: "stack.retention.prometheusLocal",
          message: `"3h" is below 4h (2 × the 2h block period): Prometheus would delete blocks before the Thanos sidecar uploads them`,
        },
      ],
    ],
    [
      "a remote-write backfill shorter than Prometheus' head already accepts",
      withRetention({ remoteWriteBackfill: "30m" }),
      [
        {
          path: "stack.retention.remoteWriteBackfill",
          message: `"30m" is below 1h: Prometheus' head block already accepts samples about that old without an out-of-order window`,
        },
      ],
    ],
    [
      "a remote-write backfill longer than Prometheus keeps samples",
      withRetention({ remoteWriteBackfill: "4d" }),
      [
        {
          path: "stack.retention.remoteWriteBackfill",
          message: `"4d" exceeds stack.retention.prometheusLocal "3d": Prometheus would delete backfilled samples as it accepts them`,
        },
      ],
    ],
    [
      "a malformed remote-write backfill",
      withRetention({ remoteWriteBackfill: "8 hours" }),
      [{ path: "stack.retention.remoteWriteBackfill", message: `"8 hours" ${NOT_A_DURATION}` }],
    ],
    [
      "a malformed Prometheus retention",
      withRetention({ prometheusLocal: "3D" }),
      [{ path: "stack.retention.prometheusLocal", message: `"3D" ${NOT_A_DURATION}` }],
    ],
    [
      "a malformed scrape interval",
      withStack((s) => ({ ...s, scrapeInterval: "30 s" as Stack["scrapeInterval"] })),
      [{ path: "stack.scrapeInterval", message: `"30 s" ${NOT_A_DURATION}` }],
    ],
    [
      "a zero scrape interval",
      withStack((s) => ({ ...s, scrapeInterval: "0s" })),
      [{ path: "stack.scrapeInterval", message: `"0s" must be longer than 0s` }],
    ],
  ])("reports %s", (_case, stack, problems) => {
    expect(checkMetrics(stack)).toEqual(problems);
  });

  it.each<[string, Stack, Problem[]]>([
    [
      "a Loki tenant with a space",
      withStack((s) => ({ ...s, lokiTenant: "home lab" })),
      [
        {
          path: "stack.lokiTenant",
          message: `"home lab" is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*'() only, not "." or "..")`,
        },
      ],
    ],
    [
      "an objstore key Kubernetes refuses",
      withStack((s) => ({ ...s, secrets: { ...s.secrets, thanosObjstore: { ...s.secrets.thanosObjstore, key: "objstore yml" } } })),
      [{ path: "stack.secrets.thanosObjstore.key", message: `"objstore yml" is not a valid Secret key (letters, digits, "-", "_" and ".")` }],
    ],
    [
      "an objstore Secret name Kubernetes refuses",
      withStack((s) => ({ ...s, secrets: { ...s.secrets, thanosObjstore: { ...s.secrets.thanosObjstore, name: "Thanos_Objstore" } } })),
      [{ path: "stack.secrets.thanosObjstore.name", message: `"Thanos_Objstore" is not a valid Secret name (a DNS-1123 subdomain)` }],
    ],
  ])("leaves %s to core's stackConfigProblems (a shared field, reported once), and the builders refuse it", (_case, stack, problems) => {
    expect(stackConfigProblems(stack)).toEqual(problems);
    expect(checkMetrics(stack)).toEqual([]);
    expect(() => kubePrometheusStackComponent(stack)).toThrow(problems.map(formatProblem).join("\n"));
    expect(() => thanosComponent(stack)).toThrow(problems.map(formatProblem).join("\n"));
  });

  it.each([
    ["raw exactly 40h", withRetention({ metricsRaw: "40h", metrics5m: "10d" })],
    ["5m exactly 10d", withRetention({ metrics5m: "10d" })],
    ["all equal", withRetention({ metricsRaw: "30d", metrics5m: "30d", metrics1h: "30d" })],
    ["Prometheus exactly two blocks", withRetention({ prometheusLocal: "4h", remoteWriteBackfill: "4h" })],
    ["the shortest remote-write backfill", withRetention({ remoteWriteBackfill: "1h" })],
    ["a backfill as long as the local retention", withRetention({ remoteWriteBackfill: "3d" })],
    ["1h kept forever", withRetention({ metrics1h: "0d" })],
    ["weeks and years", withRetention({ metricsRaw: "2w", metrics5m: "26w", metrics1h: "1y" })],
  ])("accepts %s", (_case, stack) => {
    expect(checkMetrics(stack)).toEqual([]);
  });

  it("reports every problem at once, and the builders throw them as one StackError", () => {
    const bad = withRetention({ metricsRaw: "1d", metrics5m: "5d", prometheusLocal: "2h" });
    const problems = checkMetrics(bad);
    expect(problems.map((p) => p.path)).toEqual([
      "stack.retention.prometheusLocal",
      "stack.retention.remoteWriteBackfill",
      "stack.retention.metricsRaw",
      "stack.retention.metrics5m",
    ]);
    for (const build of [kubePrometheusStackComponent, thanosComponent]) {
      expect(() => build(bad)).toThrow(StackError);
      expect(() => build(bad)).toThrow(problems.map(formatProblem).join("\n"));
    }
  });

  it("rejects any retention string outside the strict form, naming the field", () => {
    const strict = /^(0|[1-9][0-9]*)(s|m|h|d|w|y)$/;
    const field = fc.constantFrom("prometheusLocal", "metricsRaw", "metrics5m", "metrics1h" as const);
    fc.assert(
      fc.property(field, fc.string().filter((s) => !strict.test(s)), (f, value) => {
        const problems = checkMetrics(withRetention({ [f]: value }));
        expect(problems).toContainEqual({ path: `stack.retention.${f}`, message: `${JSON.stringify(value)} ${NOT_A_DURATION}` });
        expect(() => thanosComponent(withRetention({ [f]: value }))).toThrow(StackError);
      }),
    );
  });

  it("accepts any raw ≥ 40h ≤ 5m (≥ 10d) ≤ 1h, and flags any raw below 40h", () => {
    const hours = fc.integer({ min: 40, max: 5000 });
    fc.assert(
      fc.property(hours, fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (raw, d5, d1) => {
        const m5 = Math.max(raw, 240) + d5;
        const stack = withRetention({ metricsRaw: `${raw}h`, metrics5m: `${m5}h`, metrics1h: `${m5 + d1}h` });
        expect(checkMetrics(stack)).toEqual([]);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 39 }), (raw) => {
        const paths = checkMetrics(withRetention({ metricsRaw: `${raw}h` })).map((p) => p.path);
        expect(paths).toEqual(["stack.retention.metricsRaw"]);
      }),
    );
  });
});
