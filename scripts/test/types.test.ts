// Type-level checks, run by `pnpm exec tsc -b` (tsconfig.tooling.json includes scripts/): a misspelled Helm value
// is a compile error. The runtime assertions tie each case to the validator's answer for the same object.
import { validateValues } from "@o11y-gitops/chart-values";
import type { LokiValues } from "@o11y-gitops/chart-values/loki";
import type { KubePrometheusStackValues } from "@o11y-gitops/chart-values/kube-prometheus-stack";
import { describe, expect, it } from "vitest";

// `useTestSchema: true` satisfies the loki patch's companion rule (a schema_config or the test schema).
const valid: LokiValues = { loki: { useTestSchema: true, auth_enabled: false, commonConfig: { replication_factor: 1 } }, singleBinary: { replicas: 1 } };

const topLevelTypo: LokiValues = {
  // @ts-expect-error misspelled top-level key
  singleBinarry: { replicas: 1 },
};

const nestedTypo: LokiValues = {
  loki: {
    useTestSchema: true,
    // @ts-expect-error misspelled nested key
    auth_enabeld: false,
  },
};

const wrongType: LokiValues = {
  // @ts-expect-error a string where the chart has a number
  singleBinary: { replicas: "1" },
};

const openMap: LokiValues = { loki: { useTestSchema: true, podLabels: { team: "o11y" } }, global: { anything: true } };

const kpsTypo: KubePrometheusStackValues = {
  grafana: {
    // @ts-expect-error misspelled key in the grafana subchart
    persistance: { enabled: true },
  },
};

// kube-prometheus-stack imports the subcharts' own types; what it adds or changes under their keys stays typed.
const kpsParentKeys: KubePrometheusStackValues = {
  grafana: {
    defaultDashboardsEnabled: true,
    persistence: { enabled: true },
    sidecar: { dashboards: { multicluster: { global: { enabled: false } } }, datasources: { defaultDatasourceEnabled: false } },
  },
  "prometheus-node-exporter": { rbac: { pspEnabled: false } },
};

const kpsParentKeyTypo: KubePrometheusStackValues = {
  grafana: {
    // @ts-expect-error misspelled key that kube-prometheus-stack adds under grafana
    defaultDashboardsEnabeld: true,
  },
};

const kpsChangedKeyTypo: KubePrometheusStackValues = {
  grafana: {
    sidecar: {
      datasources: {
        // @ts-expect-error misspelled key under a grafana key whose type kube-prometheus-stack changes
        defaultDatasourceEnabeld: false,
      },
    },
  },
};

describe("generated types agree with the validators", () => {
  it.each<[string, "loki" | "kube-prometheus-stack", unknown, string[]]>([
    ["valid loki values", "loki", valid, []],
    ["open maps and global", "loki", openMap, []],
    ["top-level typo", "loki", topLevelTypo, ['(root): must NOT have additional property "singleBinarry" (did you mean "singleBinary"?)']],
    ["nested typo", "loki", nestedTypo, ['loki: must NOT have additional property "auth_enabeld" (did you mean "auth_enabled"?)']],
    ["wrong type", "loki", wrongType, ['singleBinary.replicas: must be number, found string "1"']],
    ["subchart typo", "kube-prometheus-stack", kpsTypo, ['grafana: must NOT have additional property "persistance" (did you mean "persistence"?)']],
    ["keys the parent adds or changes under a subchart", "kube-prometheus-stack", kpsParentKeys, []],
    ["typo in a key the parent adds", "kube-prometheus-stack", kpsParentKeyTypo, ['grafana: must NOT have additional property "defaultDashboardsEnabeld" (did you mean "defaultDashboardsEnabled"?)']],
    [
      "typo under a key the parent changes",
      "kube-prometheus-stack",
      kpsChangedKeyTypo,
      ['grafana.sidecar.datasources: must NOT have additional property "defaultDatasourceEnabeld" (did you mean "defaultDatasourceEnabled"?)'],
    ],
  ])("%s", (_n, chart, values, expected) => {
    expect(validateValues(chart, values).map((e) => `${e.path}: ${e.message}`)).toStrictEqual(expected);
  });
});
