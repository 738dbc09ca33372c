import { assertNoProblems, type Component, type Stack } from "@o11y-gitops/core";
import type { TempoValues } from "@o11y-gitops/chart-values/tempo";
import { TEMPO_PORTS } from "./_chart.js";
import { hoursMinutesSeconds } from "@o11y-gitops/core";
import { checkTempo, tempoRetentionSeconds } from "./check.js";

/**
 * Environment variables the S3 credentials reach Tempo through; the config refers to them as
 * `${AWS_ACCESS_KEY_ID}` and Tempo expands them at start-up (`-config.expand-env=true`).
 */
const ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
const SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";

/** Where the chart mounts the persistent volume (`/var/tempo`), so the WAL lives on the PVC. */
const TEMPO_WAL_PATH = "/var/tempo/wal";

/**
 * Tempo 2.7+ binds receivers to localhost unless told otherwise; in a pod that makes them unreachable
 * through the Service, so every receiver listens on all interfaces.
 */
const ALL_INTERFACES = "0.0.0.0";

/**
 * Helm values for the tempo chart (1.26.7, monolithic): one StatefulSet pod with its WAL on a PVC and
 * trace blocks in S3.
 *
 * - S3 backend: bucket, endpoint (host:port; `insecure` selects plain HTTP), region and path-style
 *   addressing from the stack; credentials are env vars from the stack's S3 Secret, referenced as
 *   `${AWS_…}` in the rendered config (`-config.expand-env=true`), never written into values.
 * - `tempo.retention` (→ compactor.compaction.block_retention) is the stack's traces retention in Go
 *   duration syntax (7d → `168h`; Go has no `d` unit).
 * - OTLP receivers on 0.0.0.0:4317 (gRPC) and 0.0.0.0:4318 (HTTP).
 * - Persistence on: the chart's default is none, which would put the WAL on the container filesystem.
 *
 * Throws a StackError listing every problem {@link checkTempo} finds.
 */
export function tempoValues(stack: Stack): TempoValues {
  assertNoProblems(checkTempo(stack));
  const retention = tempoRetentionSeconds(stack) as number;
  const store = stack.objectStore;
  const secret = stack.secrets.s3Credentials;

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
            access_key: `\${${ACCESS_KEY_ENV}}`,
            secret_key: `\${${SECRET_KEY_ENV}}`,
          },
          wal: { path: TEMPO_WAL_PATH },
        },
      },
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: `${ALL_INTERFACES}:${TEMPO_PORTS.otlpGrpc}` },
            http: { endpoint: `${ALL_INTERFACES}:${TEMPO_PORTS.otlpHttp}` },
          },
        },
      },
      extraArgs: { "config.expand-env": "true" },
      extraEnv: [
        { name: ACCESS_KEY_ENV, valueFrom: { secretKeyRef: { name: secret.name, key: secret.accessKeyIdKey } } },
        { name: SECRET_KEY_ENV, valueFrom: { secretKeyRef: { name: secret.name, key: secret.secretAccessKeyKey } } },
      ],
    },
    persistence: { enabled: true, size: stack.volumes.tempoWal, storageClassName: stack.storageClass },
  };
}

/**
 * The `tempo` component: chart `tempo`, release `stack.releases.tempo`, after kube-prometheus-stack
 * (sync wave 2). No extra sync options: the chart ships no CRDs and no objects too large for
 * client-side apply.
 */
export function tempoComponent(stack: Stack): Component<TempoValues> {
  return {
    name: "tempo",
    chart: "tempo",
    release: stack.releases.tempo,
    dependsOn: ["kube-prometheus-stack"],
    values: tempoValues(stack),
    manifests: [],
  };
}
