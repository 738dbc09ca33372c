import { S3_CREDENTIAL_ENV, s3CredentialEnv, stackConfigProblems, StackError, type Component, type Stack } from "@o11y-gitops/core";
import type { TempoValues } from "@o11y-gitops/chart-values/tempo";
import { TEMPO_PORTS } from "./_chart.js";
import { TEMPO_CONFIG_TEMPLATE } from "./_config.js";
import { hoursMinutesSeconds } from "@o11y-gitops/core";
import { checkTempo, tempoRetentionSeconds } from "./check.js";

/** Where the chart mounts the persistent volume (`/var/tempo`), so the WAL lives on the PVC. */
const TEMPO_WAL_PATH = "/var/tempo/wal";

/**
 * Tempo 2.7+ binds receivers to localhost unless told otherwise; in a pod that makes them unreachable
 * through the Service, so every receiver listens on all interfaces.
 */
const ALL_INTERFACES = "0.0.0.0";

/** Where the metrics generator keeps its WAL and trace buffer: on the PVC, beside Tempo's own WAL. */
const GENERATOR_PATHS = { wal: "/var/tempo/generator/wal", traces: "/var/tempo/generator/traces" } as const;

/**
 * The metrics generator's processors: service graphs (Grafana's service map) and span metrics (RED metrics
 * per service and span, the target of Grafana's trace → metrics links).
 */
export const TEMPO_GENERATOR_PROCESSORS = ["service-graphs", "span-metrics"] as const;

/** Options of {@link tempoValues}. */
export interface TempoOptions {
  /**
   * Prometheus remote-write URL (`…/api/v1/write`) for the metrics generator; when set, the generator
   * runs with {@link TEMPO_GENERATOR_PROCESSORS}. `stackComponents` (@o11y-gitops/stack) passes the
   * stack's Prometheus, whose remote-write receiver is on.
   * @default undefined (generator off)
   */
  metricsRemoteWriteUrl?: string;
}

/**
 * Helm values for the tempo chart (1.26.7, monolithic): one StatefulSet pod with its WAL on a PVC and
 * trace blocks in S3.
 *
 * - S3 backend: bucket, endpoint (host:port; `insecure` selects plain HTTP), region and path-style
 *   addressing from the stack; credentials are env vars from the stack's S3 Secret, referenced as
 *   `${AWS_…}` in the rendered config (`-config.expand-env=true`), never written into values.
 * - `tempo.retention` (→ compactor.compaction.block_retention) is the stack's traces retention in Go
 *   duration syntax (7d → `168h`; Go has no `d` unit).
 * - Only the OTLP receivers, on 0.0.0.0:4317 (gRPC) and 0.0.0.0:4318 (HTTP). Helm merges `receivers` into
 *   the chart's defaults (Jaeger, OpenCensus), and no value removes them all, so `config` is the chart's own
 *   template with the receivers line rendering only `otlp` (TEMPO_CONFIG_TEMPLATE); the Jaeger endpoints
 *   are nulled so the Service publishes no Jaeger ports. Tempo ≥ 2.10.6 has no OpenCensus receiver and
 *   would crash-loop on it.
 * - With `options.metricsRemoteWriteUrl`, the metrics generator (service graphs, span metrics) writes to
 *   that Prometheus; its WAL lives on the PVC.
 * - A ServiceMonitor for Tempo's own metrics.
 * - Persistence on: the chart's default is none, which would put the WAL on the container filesystem.
 *
 * Throws a StackError listing every problem {@link checkTempo} and core's `stackConfigProblems` find.
 */
export function tempoValues(stack: Stack, options: TempoOptions = {}): TempoValues {
  const retention = tempoRetentionSeconds(stack);
  const problems = [...checkTempo(stack), ...stackConfigProblems(stack)];
  if (typeof retention !== "number" || problems.length > 0) throw new StackError(problems);
  const store = stack.objectStore;

  return {
    tempo: {
      retention: hoursMinutesSeconds(retention),
      server: { http_listen_port: TEMPO_PORTS.http },
      storage: {
        trace: {
          backend: "s3",
          s3: {
            bucket: store.buckets.tempo,
            endpoint: store.endpoint,
            region: store.region,
            insecure: store.insecure,
            forcepathstyle: store.forcePathStyle,
            access_key: `\${${S3_CREDENTIAL_ENV.accessKeyId}}`,
            secret_key: `\${${S3_CREDENTIAL_ENV.secretAccessKey}}`,
          },
          wal: { path: TEMPO_WAL_PATH },
        },
      },
      receivers: {
        // Deletes the chart's default Jaeger endpoints, so the Service publishes no Jaeger ports.
        jaeger: { protocols: { grpc: null, thrift_binary: null, thrift_compact: null, thrift_http: null } },
        otlp: {
          protocols: {
            grpc: { endpoint: `${ALL_INTERFACES}:${TEMPO_PORTS.otlpGrpc}` },
            http: { endpoint: `${ALL_INTERFACES}:${TEMPO_PORTS.otlpHttp}` },
          },
        },
      },
      ...(options.metricsRemoteWriteUrl === undefined
        ? {}
        : {
            metricsGenerator: {
              enabled: true,
              remoteWriteUrl: options.metricsRemoteWriteUrl,
              storage: { path: GENERATOR_PATHS.wal },
              traces_storage: { path: GENERATOR_PATHS.traces },
            },
            overrides: { defaults: { metrics_generator: { processors: [...TEMPO_GENERATOR_PROCESSORS] } } },
          }),
      extraArgs: { "config.expand-env": "true" },
      extraEnv: s3CredentialEnv(stack),
    },
    config: TEMPO_CONFIG_TEMPLATE,
    persistence: { enabled: true, size: stack.volumes.tempoWal, storageClassName: stack.storageClass },
    // Prometheus scrapes Tempo's own metrics (port tempo-prom-metrics) for the pipeline alerts.
    serviceMonitor: { enabled: true, interval: stack.scrapeInterval },
  };
}

/**
 * The `tempo` component: chart `tempo`, release `stack.releases.tempo`, after kube-prometheus-stack
 * (sync wave 2). No extra sync options: the chart ships no CRDs and no objects too large for
 * client-side apply.
 */
export function tempoComponent(stack: Stack, options: TempoOptions = {}): Component<TempoValues> {
  return {
    name: "tempo",
    chart: "tempo",
    release: stack.releases.tempo,
    dependsOn: ["kube-prometheus-stack"],
    values: tempoValues(stack, options),
    manifests: [],
  };
}
