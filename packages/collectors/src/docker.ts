import { charts } from "@o11y-gitops/chart-values";
import { durationSeconds, hoursMinutesSeconds, StackError, placeholder, PLACEHOLDER_PREFIX, type ExtraFile, type Stack } from "@o11y-gitops/core";
import { writeEndpoints } from "@o11y-gitops/ingress";
import { DOCKER_HOST_SOURCE, NODE_EXPORTER_JOB } from "@o11y-gitops/metrics";
import { emitAlloy } from "./alloy-emit.js";
import { alloyConfig as a, type AlloyBlock, type AlloyComponentBlock, type AlloyConfig } from "./alloy-model.js";
import { assertCollectorsStack } from "./check.js";
import { copyLabel, rule, setLabel } from "./_relabel.js";

/**
 * The external write URLs Docker-host Alloy pushes to, taken from the Ingresses themselves
 * (`https://<stack.hosts.x>.<stack.domain><path>`), so the two can never disagree.
 */
export function dockerWriteUrls(stack: Stack): { remoteWrite: string; lokiPush: string } {
  const [prometheus, loki] = writeEndpoints(stack);
  return { remoteWrite: prometheus.url, lokiPush: loki.url };
}

/** The SOPS-encrypted env file next to the compose file; it holds the password, never the config. */
export const DOCKER_ALLOY_ENV_FILE = ".sops.env";

/** Environment variable (set from `.sops.env`) holding the basic-auth password for both write endpoints. */
export const DOCKER_ALLOY_PASSWORD_ENV = "ALLOY_BASIC_AUTH_PASSWORD";

/** Image repository of Alloy on Docker hosts; the tag is the alloy chart's appVersion. */
const ALLOY_IMAGE = "docker.io/grafana/alloy";

/** Alloy's UI/metrics listener; bound to loopback because the container shares the host's network. */
const LISTEN_ADDR = "127.0.0.1:12345";

/**
 * Host paths the container reads, and where. One table for both the compose mounts and the config paths.
 * `propagation: rslave` lets the rootfs view follow mounts made on the host after start (node_exporter's
 * filesystem collector).
 */
export const DOCKER_HOST_MOUNTS = {
  proc: { source: "/proc", target: "/host/proc" },
  sys: { source: "/sys", target: "/host/sys" },
  rootfs: { source: "/", target: "/rootfs", propagation: "rslave" },
  /** The Docker socket and containerd's socket (`/var/run/containerd/containerd.sock`) live here. */
  varRun: { source: "/var/run", target: "/var/run" },
  dockerData: { source: "/var/lib/docker", target: "/var/lib/docker" },
  /** cAdvisor's disk-to-device mapping (`/dev/disk/by-*`). */
  devDisk: { source: "/dev/disk", target: "/dev/disk" },
} as const;

/**
 * containerd as Docker runs it: Docker 29 keeps images in the containerd image store by default, and
 * cAdvisor's Docker handler then finds no layer data, so container names and compose labels come out
 * empty; cAdvisor's containerd handler, pointed at Docker's containerd socket and its `moby` namespace,
 * supplies them.
 */
const CONTAINERD = { socket: `${DOCKER_HOST_MOUNTS.varRun.target}/containerd/containerd.sock`, namespace: "moby" } as const;

const CONFIG_PATH = "/etc/alloy/config.alloy";
const STORAGE_PATH = "/var/lib/alloy/data";
const STORAGE_VOLUME = "alloy-data";
const DOCKER_HOST = `unix://${DOCKER_HOST_MOUNTS.varRun.target}/docker.sock`;

/**
 * The label rules every Docker-host series and stream passes through: `source="docker"` and
 * `instance=<host name>`. The container shares the host's network and so its host name
 * (`constants.hostname` is the Docker host's name, the same on all six hosts' shared compose file).
 */
function hostIdentityRules(): AlloyBlock[] {
  return [setLabel(DOCKER_HOST_SOURCE.label, DOCKER_HOST_SOURCE.value), setLabel("instance", a.stdlib("constants.hostname"))];
}

/**
 * How long unsent samples stay in the remote-write WAL (`wal.max_keepalive_time`): the stack's
 * `retention.remoteWriteBackfill`, the same window Prometheus accepts them for, in Go duration syntax.
 */
export function dockerRemoteWriteKeepalive(stack: Stack): string {
  assertCollectorsStack(stack);
  const backfill = durationSeconds("stack.retention.remoteWriteBackfill", stack.retention.remoteWriteBackfill);
  if (typeof backfill !== "number") throw new StackError([backfill]);
  return hoursMinutesSeconds(backfill);
}

function basicAuth(stack: Stack): AlloyBlock {
  return a.block("basic_auth", [
    a.attr("username", stack.secrets.basicAuth.user),
    a.attr("password", a.env(DOCKER_ALLOY_PASSWORD_ENV)),
  ]);
}

/**
 * The Docker hosts' Alloy config:
 * - host metrics (prometheus.exporter.unix over the host's /proc, /sys and / mounted read-only) and
 *   per-container metrics (prometheus.exporter.cadvisor via the Docker socket) → prometheus.scrape →
 *   prometheus.relabel (source, instance) → prometheus.remote_write to the external write endpoint;
 * - container logs: discovery.docker → loki.source.docker (labels from discovery.relabel rules, source and
 *   instance included) → loki.write to the external Loki push endpoint with the stack's tenant.
 * Both writers use basic auth: the stack's user, the password from `sys.env(DOCKER_ALLOY_PASSWORD_ENV)`.
 * Each half is there only while its write endpoint is on (`stack.components.writeEndpoints`).
 */
export function dockerAlloyConfig(stack: Stack): AlloyConfig {
  const urls = dockerWriteUrls(stack);

  const remoteWrite = a.component("prometheus.remote_write", "k8s", [
    a.block("endpoint", [a.attr("url", urls.remoteWrite), basicAuth(stack)]),
    a.block("wal", [a.attr("max_keepalive_time", dockerRemoteWriteKeepalive(stack))]),
  ], "The cluster's authenticated Prometheus remote-write endpoint. While it is unreachable, samples wait in\nthe WAL (on the alloy-data volume) for as long as Prometheus' out-of-order window accepts them.");

  const identity = a.component("prometheus.relabel", "docker_host", [
    a.attr("forward_to", [a.ref(remoteWrite, "receiver")]),
    ...hostIdentityRules(),
  ], "Every series from this host carries source=\"docker\" and instance=<host name>.");

  const unix = a.component("prometheus.exporter.unix", "host", [
    a.attr("procfs_path", DOCKER_HOST_MOUNTS.proc.target),
    a.attr("sysfs_path", DOCKER_HOST_MOUNTS.sys.target),
    a.attr("rootfs_path", DOCKER_HOST_MOUNTS.rootfs.target),
  ], "Host metrics (embedded node_exporter) from the host's /proc, /sys and / mounted read-only.");

  const hostJob = a.component("discovery.relabel", "host", [
    a.attr("targets", a.ref(unix, "targets")),
    setLabel("job", NODE_EXPORTER_JOB),
  ], `job="${NODE_EXPORTER_JOB}", the job kube-prometheus-stack's node alerts and dashboards select.`);

  const cadvisor = a.component("prometheus.exporter.cadvisor", "containers", [
    a.attr("docker_host", DOCKER_HOST),
    a.attr("containerd_host", CONTAINERD.socket),
    a.attr("containerd_namespace", CONTAINERD.namespace),
    a.attr("docker_only", true),
    a.attr("store_container_labels", false),
    a.attr("allowlisted_container_labels", ["com.docker.compose.project", "com.docker.compose.service"]),
  ], "Per-container metrics (embedded cAdvisor); only the compose labels become metric labels.");

  const self = a.component("prometheus.exporter.self", "alloy", [], "Alloy's own metrics (queues, WAL, write errors), for the pipeline alerts.");

  const scrape = (label: string, exporter: AlloyComponentBlock, exportName = "targets"): AlloyComponentBlock =>
    a.component("prometheus.scrape", label, [
      a.attr("targets", a.ref(exporter, exportName)),
      a.attr("scrape_interval", stack.scrapeInterval),
      a.attr("forward_to", [a.ref(identity, "receiver")]),
    ]);

  const lokiWrite = a.component("loki.write", "k8s", [
    a.block("endpoint", [a.attr("url", urls.lokiPush), a.attr("tenant_id", stack.lokiTenant), basicAuth(stack)]),
  ], "The cluster's authenticated Loki push endpoint, as the stack's tenant.");

  const containers = a.component("discovery.docker", "containers", [a.attr("host", DOCKER_HOST)]);

  const labels = a.component("discovery.relabel", "containers", [
    a.attr("targets", []),
    rule({ sourceLabels: ["__meta_docker_container_name"], regex: "/(.*)", targetLabel: "container" }),
    copyLabel("__meta_docker_container_label_com_docker_compose_project", "compose_project"),
    copyLabel("__meta_docker_container_label_com_docker_compose_service", "compose_service"),
    copyLabel("__meta_docker_container_log_stream", "stream"),
    ...hostIdentityRules(),
  ], "Stream labels for container logs, applied by loki.source.docker.");

  const logs = a.component("loki.source.docker", "containers", [
    a.attr("host", DOCKER_HOST),
    a.attr("targets", a.ref(containers, "targets")),
    a.attr("relabel_rules", a.ref(labels, "rules")),
    a.attr("forward_to", [a.ref(lokiWrite, "receiver")]),
  ], "stdout/stderr of every container on this host, through the Docker API.");

  const { prometheus: metricsOn, loki: logsOn } = stack.components.writeEndpoints;
  return a.file(
    ...(metricsOn
      ? [unix, hostJob, cadvisor, self, scrape("host", hostJob, "output"), scrape("containers", cadvisor), scrape("alloy", self), identity, remoteWrite]
      : []),
    ...(logsOn ? [containers, labels, logs, lokiWrite] : []),
  );
}

/** A Compose bind mount (long syntax). */
interface ComposeBind {
  type: "bind";
  source: string;
  target: string;
  read_only: true;
  bind?: { propagation: "rslave" };
}

/** The subset of the Compose file format this stack uses. */
export interface DockerAlloyCompose {
  services: {
    alloy: {
      image: string;
      container_name: string;
      restart: "unless-stopped";
      entrypoint: string[];
      command: string[];
      env_file: string[];
      network_mode: "host";
      cgroup: "host";
      privileged: true;
      security_opt: string[];
      volumes: (ComposeBind | { type: "volume"; source: string; target: string })[];
    };
  };
  volumes: Record<string, Record<string, never>>;
}

/** The Alloy image's own entrypoint, which the start-up guard hands over to. */
const ALLOY_BINARY = "/bin/alloy";

/** Exit status of the guard when the password is unusable (sysexits EX_CONFIG). */
export const PASSWORD_GUARD_EXIT = 78;

/**
 * The start-up guard (a POSIX sh script, run as the entrypoint before Alloy): compose reads `.sops.env`
 * as it is, so a file still encrypted on the host hands Alloy the literal `ENC[...]` as its password and
 * every push fails with 401 while the container looks healthy. Instead the container exits with
 * {@link PASSWORD_GUARD_EXIT} and one line saying what is wrong and how to fix it, for an empty or missing
 * password, a SOPS-encrypted value, and the generator's placeholder; otherwise it `exec`s Alloy with the
 * compose `command`. Written with plain `$`; {@link composeEscape} doubles them for compose.
 */
export function passwordGuardScript(): string {
  const v = `$${DOCKER_ALLOY_PASSWORD_ENV}`;
  const file = DOCKER_ALLOY_ENV_FILE;
  return [
    `case "${v}" in`,
    `  "") problem="is empty or not set: ${file} must define it" ;;`,
    `  "ENC["*) problem="is still SOPS-encrypted (ENC[...]): decrypt ${file} on the host before starting (sops -d -i ${file}, or let Komodo decrypt it)" ;;`,
    `  "${PLACEHOLDER_PREFIX}"*) problem="is still the generator's placeholder: put the password into ${file} and SOPS-encrypt it" ;;`,
    `  *) exec ${ALLOY_BINARY} "$@" ;;`,
    "esac",
    `echo "alloy: refusing to start: ${DOCKER_ALLOY_PASSWORD_ENV} $problem" >&2`,
    `exit ${PASSWORD_GUARD_EXIT}`,
  ].join("\n");
}

/** Compose interpolates `$NAME` in every string: a literal `$` is written `$$`. */
function composeEscape(s: string): string {
  return s.split("$").join("$$");
}

/**
 * The compose file for Alloy on the Docker hosts, as the Alloy docs for `prometheus.exporter.cadvisor` in
 * a Docker container require, plus what the other components need:
 * - `privileged`, and read-only binds of / (at /rootfs), /var/run, /sys, /var/lib/docker and /dev/disk for
 *   cAdvisor (the docs' list); /var/run holds both the Docker socket (discovery.docker,
 *   loki.source.docker, cAdvisor: root-equivalent even when mounted read-only) and containerd's socket,
 *   which cAdvisor needs on Docker's containerd image store (the Docker 29 default);
 * - /proc at /host/proc and /sys at /host/sys for prometheus.exporter.unix (paths from DOCKER_HOST_MOUNTS);
 * - `network_mode: host`: node_exporter's network statistics read /proc/net of the reading process, so the
 *   container must share the host's network namespace (which also makes `constants.hostname` the host's
 *   name); the UI listens on loopback only;
 * - `cgroup: host`: on cgroup v2 hosts Docker otherwise gives the container a private cgroup namespace and
 *   cAdvisor sees only its own cgroup instead of every container's;
 * - the entrypoint is {@link passwordGuardScript}, which refuses to start Alloy with an unusable password.
 */
export function dockerAlloyCompose(stack: Stack): DockerAlloyCompose {
  const binds: ComposeBind[] = [
    { type: "bind", source: "./config.alloy", target: CONFIG_PATH, read_only: true },
    ...Object.values(DOCKER_HOST_MOUNTS).map((m): ComposeBind => ({
      type: "bind",
      source: m.source,
      target: m.target,
      read_only: true,
      ...("propagation" in m ? { bind: { propagation: m.propagation } } : {}),
    })),
  ];
  return {
    services: {
      alloy: {
        image: `${ALLOY_IMAGE}:${charts.alloy.appVersion}`,
        container_name: "alloy",
        restart: "unless-stopped",
        entrypoint: ["/bin/sh", "-c", composeEscape(passwordGuardScript()), "alloy"],
        command: ["run", `--server.http.listen-addr=${LISTEN_ADDR}`, `--storage.path=${STORAGE_PATH}`, CONFIG_PATH],
        env_file: [DOCKER_ALLOY_ENV_FILE],
        network_mode: "host",
        cgroup: "host",
        privileged: true,
        security_opt: ["no-new-privileges:true"],
        volumes: [...binds, { type: "volume", source: STORAGE_VOLUME, target: STORAGE_PATH }],
      },
    },
    volumes: { [STORAGE_VOLUME]: {} },
  };
}

/**
 * The Docker-host files core renders: `compose.yaml` and `config.alloy` under `stack.dockerAlloyPath`, and the
 * password file `.sops.env` seeded once as a skeleton (one DOCKER_ALLOY_PASSWORD_ENV line holding a
 * placeholder). The operator fills it in and SOPS-encrypts it (`sops -e -i`); from then on it is theirs
 * and never rewritten. It must be decrypted on the host before `docker compose up`; the compose
 * entrypoint refuses to start Alloy while it is not ({@link passwordGuardScript}). None without
 * `stack.components.dockerHosts`.
 */
export function dockerAlloyFiles(stack: Stack): ExtraFile[] {
  if (!stack.components.dockerHosts) return [];
  assertCollectorsStack(stack);
  const user = stack.secrets.basicAuth.user;
  return [
    { path: `${stack.dockerAlloyPath}/compose.yaml`, yaml: dockerAlloyCompose(stack) },
    { path: `${stack.dockerAlloyPath}/config.alloy`, text: emitAlloy(dockerAlloyConfig(stack)), commentPrefix: "//" },
    {
      path: `${stack.dockerAlloyPath}/${DOCKER_ALLOY_ENV_FILE}`,
      text: `${DOCKER_ALLOY_PASSWORD_ENV}=${placeholder(`basic-auth password of user ${user} (the plaintext of its line in ${stack.secrets.basicAuth.name})`)}\n`,
      commentPrefix: "#",
      seedOnce: true,
    },
  ];
}
