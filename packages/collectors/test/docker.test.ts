import { charts } from "@o11y-gitops/chart-values";
import {
  alloyConfig as a,
  DOCKER_ALLOY_PASSWORD_ENV,
  DOCKER_HOST_MOUNTS,
  PASSWORD_GUARD_EXIT,
  passwordGuardScript,
  dockerAlloyCompose,
  dockerAlloyConfig,
  dockerAlloyFiles,
  dockerWriteUrls,
  emitAlloy,
} from "@o11y-gitops/collectors";
import { StackError, type Stack } from "@o11y-gitops/core";
import { writeEndpoint } from "@o11y-gitops/ingress";
import { LOKI_PUSH_PATH } from "@o11y-gitops/logs";
import { NODE_EXPORTER_JOB, PROMETHEUS_REMOTE_WRITE_PATH } from "@o11y-gitops/metrics";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { stack } from "../../../stack.config.js";
import { checkWellFormed } from "./_alloy-parser.js";
import { component, paths, ruleTargets, sinks, valueAt, type Id } from "./_model.js";

const config = dockerAlloyConfig(stack);
const files = dockerAlloyFiles(stack);
const compose = dockerAlloyCompose(stack);
const alloy = compose.services.alloy;

const HOST_IDENTITY = [
  { target: a.str("source"), replacement: a.str("docker"), source: undefined },
  { target: a.str("instance"), replacement: a.stdlib("constants.hostname"), source: undefined },
];

describe("Docker-host files", () => {
  it("are compose.yaml (YAML for core), config.alloy (text with // comments) and a seed-once .sops.env", () => {
    expect(files).toEqual([
      { path: "docker/stacks/shared/alloy/compose.yaml", yaml: compose },
      { path: "docker/stacks/shared/alloy/config.alloy", text: emitAlloy(config), commentPrefix: "//" },
      {
        path: "docker/stacks/shared/alloy/.sops.env",
        text: "ALLOY_BASIC_AUTH_PASSWORD=<REPLACE_ME: basic-auth password of user alloy (the plaintext of its line in monitoring-basic-auth)>\n",
        commentPrefix: "#",
        seedOnce: true,
      },
    ]);
  });

  it("the env file compose reads is the one seeded, and it holds the variable config.alloy reads", () => {
    expect((compose as { services: { alloy: { env_file: string[] } } }).services.alloy.env_file).toEqual([".sops.env"]);
    const env = files[2] && "text" in files[2] ? files[2].text : "";
    expect(env.split("=")[0]).toBe("ALLOY_BASIC_AUTH_PASSWORD");
    expect(emitAlloy(config)).toContain('sys.env("ALLOY_BASIC_AUTH_PASSWORD")');
  });

  it("config.alloy is well-formed", () => {
    const text = files[1] && "text" in files[1] ? files[1].text : "";
    expect(checkWellFormed(text)).toEqual([]);
  });

  it("builders refuse an invalid stack", () => {
    const s = structuredClone(stack) as Stack;
    s.lokiTenant = "";
    expect(() => dockerAlloyFiles(s)).toThrow(StackError);
  });

  it("refuse a backfill window that is not a duration, naming the field", () => {
    const s = structuredClone(stack) as Stack;
    s.retention.remoteWriteBackfill = "8 hours" as Stack["retention"]["remoteWriteBackfill"];
    expect(() => dockerAlloyFiles(s)).toThrow(StackError);
    expect(() => dockerAlloyFiles(s)).toThrow('stack.retention.remoteWriteBackfill: "8 hours"');
  });
});

describe("Docker-host Alloy config (typed model)", () => {
  const write: Id = "prometheus.remote_write k8s";

  it.each<[string, Id]>([
    ["host metrics (embedded node_exporter)", "prometheus.exporter.unix host"],
    ["container metrics (embedded cAdvisor)", "prometheus.exporter.cadvisor containers"],
    ["Alloy's own metrics (prometheus.exporter.self)", "prometheus.exporter.self alloy"],
  ])("%s: exporter → scrape → relabel (source, instance) → remote_write", (_name, exporter) => {
    const all = paths(config, exporter, write);
    expect(all).toHaveLength(1);
    expect(all[0]?.slice(-3, -2)[0]?.startsWith("prometheus.scrape ")).toBe(true);
    expect(all[0]?.slice(-2)).toEqual(["prometheus.relabel docker_host", write]);
  });

  it("every series passes the relabel that sets source=\"docker\" and instance=<hostname>", () => {
    expect(ruleTargets(component(config, "prometheus.relabel", "docker_host"))).toEqual(HOST_IDENTITY);
    for (const exporter of ["prometheus.exporter.unix host", "prometheus.exporter.cadvisor containers", "prometheus.exporter.self alloy"] as const) {
      for (const p of paths(config, exporter, write)) expect(p).toContain("prometheus.relabel docker_host");
    }
  });

  it("container logs: discovery.docker → loki.source.docker → loki.write, labelled by the relabel rules", () => {
    expect(paths(config, "discovery.docker containers", "loki.write k8s")).toEqual([
      ["discovery.docker containers", "loki.source.docker containers", "loki.write k8s"],
    ]);
    expect(paths(config, "discovery.relabel containers", "loki.write k8s")).toEqual([
      ["discovery.relabel containers", "loki.source.docker containers", "loki.write k8s"],
    ]);
    const source = component(config, "loki.source.docker", "containers");
    expect(valueAt(source, "relabel_rules")).toEqual({ kind: "ref", component: { name: "discovery.relabel", label: "containers" }, export: ["rules"] });
    const rules = ruleTargets(component(config, "discovery.relabel", "containers"));
    expect(rules.slice(-2)).toEqual(HOST_IDENTITY);
    expect(rules).toContainEqual({ target: a.str("container"), source: a.list("__meta_docker_container_name"), replacement: undefined });
    expect(sinks(config).sort()).toEqual(["loki.write k8s", "prometheus.remote_write k8s"]);
  });

  it("pushes to the external write endpoints the ingress package exposes", () => {
    const urls = dockerWriteUrls(stack);
    expect(urls).toEqual({
      remoteWrite: "https://prometheus.sharmamohit.com/api/v1/write",
      lokiPush: "https://loki.sharmamohit.com/loki/api/v1/push",
    });
    expect(urls.remoteWrite).toBe(writeEndpoint(stack, "prometheus-remote-write").url);
    expect(urls.lokiPush).toBe(writeEndpoint(stack, "loki-push").url);
    // The paths are their owners': Prometheus' remote-write receiver (metrics) and Loki's push API (logs).
    expect([new URL(urls.remoteWrite).pathname, new URL(urls.lokiPush).pathname]).toEqual([PROMETHEUS_REMOTE_WRITE_PATH, LOKI_PUSH_PATH]);
    expect(valueAt(component(config, "prometheus.remote_write", "k8s"), "endpoint.url")).toEqual(a.str(urls.remoteWrite));
    expect(valueAt(component(config, "loki.write", "k8s"), "endpoint.url")).toEqual(a.str(urls.lokiPush));
    expect(valueAt(component(config, "loki.write", "k8s"), "endpoint.tenant_id")).toEqual(a.str(stack.lokiTenant));
  });

  it.each<[string, string]>([
    ["prometheus.remote_write", "k8s"],
    ["loki.write", "k8s"],
  ])("%s basic auth: the stack's user, the password from the environment", (name, label) => {
    const c = component(config, name, label);
    expect(valueAt(c, "endpoint.basic_auth.username")).toEqual(a.str("alloy"));
    expect(valueAt(c, "endpoint.basic_auth.password")).toEqual(a.env(DOCKER_ALLOY_PASSWORD_ENV));
  });

  it("node_exporter reads the host mounts the compose file provides", () => {
    const unix = component(config, "prometheus.exporter.unix", "host");
    expect(valueAt(unix, "procfs_path")).toEqual(a.str(DOCKER_HOST_MOUNTS.proc.target));
    expect(valueAt(unix, "sysfs_path")).toEqual(a.str(DOCKER_HOST_MOUNTS.sys.target));
    expect(valueAt(unix, "rootfs_path")).toEqual(a.str(DOCKER_HOST_MOUNTS.rootfs.target));
    const targets = alloy.volumes.map((v) => v.target);
    for (const m of Object.values(DOCKER_HOST_MOUNTS)) expect(targets).toContain(m.target);
  });

  it("cAdvisor and the log source use the Docker socket under the mounted /var/run", () => {
    const socket = `unix://${DOCKER_HOST_MOUNTS.varRun.target}/docker.sock`;
    expect(socket).toBe("unix:///var/run/docker.sock");
    expect(valueAt(component(config, "prometheus.exporter.cadvisor", "containers"), "docker_host")).toEqual(a.str(socket));
    expect(valueAt(component(config, "discovery.docker", "containers"), "host")).toEqual(a.str(socket));
    expect(valueAt(component(config, "loki.source.docker", "containers"), "host")).toEqual(a.str(socket));
  });

  it("cAdvisor also asks Docker's containerd (socket under the mounted /var/run, namespace moby) for names and labels", () => {
    const c = component(config, "prometheus.exporter.cadvisor", "containers");
    expect(valueAt(c, "containerd_host")).toEqual(a.str("/var/run/containerd/containerd.sock"));
    expect(valueAt(c, "containerd_host")).toEqual(a.str(`${DOCKER_HOST_MOUNTS.varRun.target}/containerd/containerd.sock`));
    expect(valueAt(c, "containerd_namespace")).toEqual(a.str("moby"));
  });

  it("host metrics carry job=\"node-exporter\", the job kube-prometheus-stack's node alerts select; cAdvisor's keep theirs", () => {
    const job = component(config, "discovery.relabel", "host");
    expect(valueAt(job, "targets")).toEqual({ kind: "ref", component: { name: "prometheus.exporter.unix", label: "host" }, export: ["targets"] });
    expect(ruleTargets(job)).toEqual([{ target: a.str("job"), replacement: a.str(NODE_EXPORTER_JOB), source: undefined }]);
    expect(NODE_EXPORTER_JOB).toBe("node-exporter");
    expect(valueAt(component(config, "prometheus.scrape", "host"), "targets")).toEqual({ kind: "ref", component: { name: "discovery.relabel", label: "host" }, export: ["output"] });
    expect(valueAt(component(config, "prometheus.scrape", "containers"), "targets")).toEqual({ kind: "ref", component: { name: "prometheus.exporter.cadvisor", label: "containers" }, export: ["targets"] });
  });

  it.each<[string, string]>([
    ["8h", "8h"],
    ["1d", "24h"],
    ["90m", "90m"],
  ])("unsent samples stay in the WAL for retention.remoteWriteBackfill %s (Go duration %s)", (backfill, want) => {
    const s = { ...stack, retention: { ...stack.retention, remoteWriteBackfill: backfill as Stack["retention"]["remoteWriteBackfill"] } };
    expect(valueAt(component(dockerAlloyConfig(s), "prometheus.remote_write", "k8s"), "wal.max_keepalive_time")).toEqual(a.str(want));
  });

  it("scrapes at the stack's interval", () => {
    for (const label of ["host", "containers", "alloy"]) {
      expect(valueAt(component(config, "prometheus.scrape", label), "scrape_interval")).toEqual(a.str(stack.scrapeInterval));
    }
  });
});

describe("compose.yaml", () => {
  it("runs the chart's Alloy version", () => {
    expect(alloy.image).toBe(`docker.io/grafana/alloy:${charts.alloy.appVersion}`);
    expect(alloy.image).toBe("docker.io/grafana/alloy:v1.18.1");
    expect(alloy.command).toEqual(["run", "--server.http.listen-addr=127.0.0.1:12345", "--storage.path=/var/lib/alloy/data", "/etc/alloy/config.alloy"]);
  });

  it("mounts exactly what the components need, host paths read-only", () => {
    expect(alloy.volumes).toEqual([
      { type: "bind", source: "./config.alloy", target: "/etc/alloy/config.alloy", read_only: true },
      { type: "bind", source: "/proc", target: "/host/proc", read_only: true },
      { type: "bind", source: "/sys", target: "/host/sys", read_only: true },
      { type: "bind", source: "/", target: "/rootfs", read_only: true, bind: { propagation: "rslave" } },
      { type: "bind", source: "/var/run", target: "/var/run", read_only: true },
      { type: "bind", source: "/var/lib/docker", target: "/var/lib/docker", read_only: true },
      { type: "bind", source: "/dev/disk", target: "/dev/disk", read_only: true },
      { type: "volume", source: "alloy-data", target: "/var/lib/alloy/data" },
    ]);
    expect(compose.volumes).toEqual({ "alloy-data": {} });
  });

  it("is privileged (the Alloy docs' cAdvisor requirement) and shares only the host network and cgroup namespaces", () => {
    expect(alloy.privileged).toBe(true);
    expect(alloy).not.toHaveProperty("pid");
    expect(alloy).not.toHaveProperty("cap_add");
    expect(alloy.network_mode).toBe("host");
    expect(alloy.cgroup).toBe("host");
    expect(alloy.security_opt).toEqual(["no-new-privileges:true"]);
  });

  it("takes the password from the SOPS env file, never from the files themselves", () => {
    expect(alloy.env_file).toEqual([".sops.env"]);
    const text = files[1] && "text" in files[1] ? files[1].text : "";
    expect(text).toContain(`password = sys.env("${DOCKER_ALLOY_PASSWORD_ENV}")`);
    expect(text.match(/password\s*=\s*"/g)).toBeNull();
    // The compose file names the variable only in the start-up guard, never with a value.
    const { entrypoint, ...rest } = alloy;
    expect(JSON.stringify({ ...compose, services: { alloy: rest } })).not.toMatch(/password|ALLOY_BASIC_AUTH_PASSWORD/i);
    expect(entrypoint.join(" ")).not.toMatch(/ALLOY_BASIC_AUTH_PASSWORD=/);
  });
});

describe("the start-up guard refuses an unusable password", () => {
  const script = passwordGuardScript();

  it("is the compose entrypoint, with every $ doubled for compose's interpolation", () => {
    expect(alloy.entrypoint.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(alloy.entrypoint[3]).toBe("alloy");
    const escaped = alloy.entrypoint[2] as string;
    expect(escaped.replace(/\$\$/g, "")).not.toContain("$");
    expect(escaped.split("$$").join("$")).toBe(script);
  });

  /** Runs the guard as compose would (`sh -c <script> alloy <command…>`) with the password set to `value`. */
  const run = (value: string | undefined) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
    if (value !== undefined) env[DOCKER_ALLOY_PASSWORD_ENV] = value;
    const r = spawnSync("/bin/sh", ["-c", script, "alloy", ...alloy.command], { env, encoding: "utf8" });
    return { status: r.status, stderr: r.stderr };
  };

  it.each<[string, string | undefined, string]>([
    ["a SOPS-encrypted value", "ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]", "is still SOPS-encrypted (ENC[...]): decrypt .sops.env on the host before starting (sops -d -i .sops.env, or let Komodo decrypt it)"],
    ["the generator's placeholder", "<REPLACE_ME: basic-auth password of user alloy>", "is still the generator's placeholder: put the password into .sops.env and SOPS-encrypt it"],
    ["an empty value", "", "is empty or not set: .sops.env must define it"],
    ["no value at all", undefined, "is empty or not set: .sops.env must define it"],
  ])("%s: exits 78 with one clear line", (_name, value, problem) => {
    const r = run(value);
    expect(r.status).toBe(PASSWORD_GUARD_EXIT);
    expect(r.stderr).toBe(`alloy: refusing to start: ALLOY_BASIC_AUTH_PASSWORD ${problem}\n`);
  });

  it("a plaintext password: execs Alloy with the compose command (here /bin/alloy does not exist, so exec fails)", () => {
    const r = run("s3cr3t-ENC[");
    expect(r.status).toBe(127);
    expect(r.stderr).toContain("/bin/alloy");
    expect(r.stderr).not.toContain("refusing to start");
  });
});

describe("one stack field, every place", () => {
  const text = (patch: (s: Stack) => void): string => {
    const s = structuredClone(stack) as Stack;
    patch(s);
    const f = dockerAlloyFiles(s)[1];
    return f && "text" in f ? f.text : "";
  };

  it.each<[string, (s: Stack) => void, string[]]>([
    ["domain", (s) => void (s.domain = "example.org"), ['"https://prometheus.example.org/api/v1/write"', '"https://loki.example.org/loki/api/v1/push"']],
    ["hosts.prometheusWrite", (s) => void (s.hosts.prometheusWrite = "metrics"), ['"https://metrics.sharmamohit.com/api/v1/write"']],
    ["hosts.lokiPush", (s) => void (s.hosts.lokiPush = "logs"), ['"https://logs.sharmamohit.com/loki/api/v1/push"']],
    ["lokiTenant", (s) => void (s.lokiTenant = "lab2"), ['tenant_id = "lab2"']],
    ["basicAuth.user", (s) => void (s.secrets.basicAuth.user = "docker"), ['username = "docker"']],
    ["scrapeInterval", (s) => void (s.scrapeInterval = "15s"), ['scrape_interval = "15s"']],
  ])("%s", (_field, patch, wanted) => {
    const t = text(patch);
    for (const w of wanted) expect(t).toContain(w);
    expect(t).not.toBe(text(() => {}));
  });

  it("a username appears in both basic_auth blocks", () => {
    const t = text((s) => void (s.secrets.basicAuth.user = "docker"));
    expect(t.match(/username = "docker"/g)).toHaveLength(2);
  });
});
