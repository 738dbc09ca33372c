// "Safe in someone else's repo" (issue 11): the whole stack rendered into a scratch repository that also
// holds files we did not write, and a folder outside it. Every case asserts the exact messages, the exit
// code, and that the repository and the folder beside it are unchanged, byte for byte (or changed exactly
// as the case says).
import { cp, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXIT, OWNERSHIP_INDEX, render, runGenerate, writeAtomic, type Stack, type WriterFs } from "@o11y-gitops/core";
import { stackInput } from "../src/index.js";
import { stack } from "../../../stack.config.js";

/** How many files the homelab stack renders (the counts in generate's summary lines). */
const FILES = render(stackInput(stack)).files.size;

let pristine: string;
let scratch: string;
let repo: string;
let outside: string;

beforeAll(async () => {
  pristine = await mkdtemp(join(tmpdir(), "o11y-safe-pristine-"));
  const code = await runGenerate(() => stackInput(stack), { root: pristine, check: false, out: () => {}, err: () => {} });
  expect(code).toBe(EXIT.ok);
});
afterAll(async () => {
  await rm(pristine, { recursive: true, force: true });
});
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), "o11y-safe-"));
  repo = join(scratch, "repo");
  outside = join(scratch, "outside");
  await mkdir(outside);
  await writeFile(join(outside, "victim.yaml"), "VICTIM: not ours\n");
  return async () => {
    await rm(scratch, { recursive: true, force: true });
  };
});

/** Every entry under `dir` (lstat: links are recorded, never followed): file bytes, link targets, folders. */
async function snapshot(dir: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of (await readdir(dir)).sort()) {
    const abs = join(dir, e);
    const rel = prefix ? `${prefix}/${e}` : e;
    const st = await lstat(abs);
    if (st.isSymbolicLink()) out[rel] = `link -> ${await readlink(abs)}`;
    else if (st.isDirectory()) {
      out[`${rel}/`] = "dir";
      Object.assign(out, await snapshot(abs, rel));
    } else out[rel] = (await readFile(abs)).toString("base64");
  }
  return out;
}

interface RunResult {
  code: number;
  out: string;
  err: string;
}

async function generate(s: Stack, opts: { check?: boolean; root?: string; rootLabel?: string; adopt?: string[]; fs?: WriterFs } = {}): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runGenerate(() => stackInput(s), {
    root: opts.root ?? repo,
    check: opts.check ?? false,
    ...(opts.rootLabel !== undefined ? { rootLabel: opts.rootLabel } : {}),
    ...(opts.adopt ? { adopt: opts.adopt } : {}),
    ...(opts.fs ? { fs: opts.fs } : {}),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  // The design's plain-HTTP object store is always warned about; the cases assert everything else.
  return { code, out: out.join("\n"), err: err.filter((l) => !l.startsWith("warning: stack.objectStore.insecure: ")).join("\n") };
}

const withStack = (patch: (s: Stack) => void): Stack => {
  const s = structuredClone(stack) as Stack;
  patch(s);
  return s;
};

const copyPristine = () => cp(pristine, repo, { recursive: true, verbatimSymlinks: true });
const readIndex = async (): Promise<{ files: string[]; seeded: string[] }> => JSON.parse(await readFile(join(repo, OWNERSHIP_INDEX), "utf8"));
const writeIndex = (index: { files: string[]; seeded: string[] }) =>
  writeFile(join(repo, OWNERSHIP_INDEX), JSON.stringify({ generatedBy: "test", ...index }, null, 2));

const NOTHING = (n: number) => `${n} problem(s); nothing written`;

describe("invalid stack config: exit 2, one line per problem naming the config path, nothing written", () => {
  const DNS_LABEL = `(a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit)`;
  const QTY = "is not a volume size like 10Gi (a positive integer and Ki, Mi, Gi or Ti)";
  const volumes = Object.keys(stack.volumes) as (keyof Stack["volumes"])[];
  it.each<[string, (s: Stack) => void, string[]]>([
    ["namespace Monitoring", (s) => void (s.namespace = "Monitoring"), [`stack.namespace: "Monitoring" is not a valid namespace ${DNS_LABEL}`]],
    [
      "a 64-character namespace",
      (s) => void (s.namespace = "m".repeat(64)),
      [`stack.namespace: "${"m".repeat(64)}" is not a valid namespace (a DNS-1123 label: at most 63 characters, found 64)`],
    ],
    [
      "a 58-character namespace (its part-of label value would be 64)",
      (s) => void (s.namespace = "m".repeat(58)),
      [
        `stack.namespace: "${"m".repeat(58)}-stack" (the app.kubernetes.io/part-of label, <namespace>-stack) is not a valid label value (at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit)`,
      ],
    ],
    [
      "Secret names, AppProject and cluster",
      (s) => {
        s.secrets.grafanaAdmin.name = "Grafana_Admin";
        s.secrets.basicAuth.name = "Monitoring_Basic_Auth";
        s.gitops.argocdProject = "Mon Itoring";
        s.cluster = "../../x";
      },
      [
        `stack.cluster: "../../x" is not a valid cluster name ${DNS_LABEL}`,
        'stack.secrets.basicAuth.name: "Monitoring_Basic_Auth" is not a valid Secret name (a DNS-1123 subdomain)',
        'stack.secrets.grafanaAdmin.name: "Grafana_Admin" is not a valid Secret name (a DNS-1123 subdomain)',
        'stack.gitops.argocdProject: "Mon Itoring" is not a valid AppProject name (a DNS-1123 subdomain)',
      ],
    ],
    [
      "namespaces, Flux names, IngressClass, a Secret key and rootPath",
      (s) => {
        s.gitops.argocdNamespace = "Argo";
        s.gitops.fluxNamespace = "flux_system";
        s.gitops.fluxSource = "Flux Source";
        s.gitops.sopsAgeSecret = "sops/age";
        s.ingressClassName = "Nginx";
        s.secrets.grafanaAdmin.passwordKey = "admin password";
        s.gitops.rootPath = "/etc";
      },
      [
        "stack.ingressClassName: \"Nginx\" is not a valid IngressClass name (a DNS-1123 subdomain)",
        'stack.secrets.grafanaAdmin.passwordKey: "admin password" is not a valid Secret key (letters, digits, "-", "_" and ".")',
        `stack.gitops.argocdNamespace: "Argo" is not a valid namespace ${DNS_LABEL}`,
        `stack.gitops.fluxNamespace: "flux_system" is not a valid namespace ${DNS_LABEL}`,
        'stack.gitops.fluxSource: "Flux Source" is not a valid GitRepository name (a DNS-1123 subdomain)',
        'stack.gitops.sopsAgeSecret: "sops/age" is not a valid Secret name (a DNS-1123 subdomain)',
        'stack.gitops.rootPath: "/etc" is not a relative path inside the repository (no leading "/", no "." or ".." segments)',
      ],
    ],
    ...volumes.flatMap((v): [string, (s: Stack) => void, string[]][] =>
      ["0Gi", "-2Gi"].map((size) => [`volume ${v} ${size}`, (s: Stack) => void (s.volumes[v] = size as never), [`stack.volumes.${v}: "${size}" ${QTY}`]]),
    ),
    [
      "Tempo and the Loki ruler in the Loki chunks bucket",
      (s) => {
        s.objectStore.buckets.tempo = s.objectStore.buckets.lokiChunks;
        s.objectStore.buckets.lokiRuler = s.objectStore.buckets.lokiChunks;
      },
      ["lokiRuler", "tempo"].map(
        (b) =>
          `stack.objectStore.buckets.${b}: "loki-chunks" is also stack.objectStore.buckets.lokiChunks; each consumer needs a bucket of its own (Loki's compactor, Thanos' compactor and Tempo delete objects they do not recognise as their own)`,
      ),
    ],
    [
      "Thanos in the Tempo bucket",
      (s) => void (s.objectStore.buckets.tempo = s.objectStore.buckets.thanos),
      [
        `stack.objectStore.buckets.tempo: "thanos-metrics" is also stack.objectStore.buckets.thanos; each consumer needs a bucket of its own (Loki's compactor, Thanos' compactor and Tempo delete objects they do not recognise as their own)`,
      ],
    ],
    ...(["grafana", "prometheusWrite"] as const).map((h): [string, (s: Stack) => void, string[]] => [
      `the lokiPush host equal to the ${h} host`,
      (s) => void (s.hosts.lokiPush = s.hosts[h]),
      [`stack.hosts.lokiPush: "${stack.hosts[h]}" is also stack.hosts.${h}; each endpoint needs a host of its own (two Ingresses on one host share its paths and auth)`],
    ]),
    [
      "two releases with one name",
      (s) => void (s.releases.tempo = s.releases.loki),
      ['stack.releases.tempo: "loki" is also stack.releases.loki; each Helm release needs a name of its own (their objects would collide)'],
    ],
    [
      "host labels and the Alloy release, each reported once in core's words",
      (s) => {
        s.hosts.lokiPush = "Loki";
        s.releases.alloy = "Alloy_1";
      },
      [
        `stack.hosts.lokiPush: "Loki" is not a valid host label ${DNS_LABEL}`,
        'stack.releases.alloy: "Alloy_1" is not a valid Helm release name (lowercase letters, digits and "-", at most 53 characters)',
      ],
    ],
    [
      "two Secrets with one name",
      (s) => void (s.secrets.grafanaAdmin.name = s.secrets.basicAuth.name),
      [
        'stack.secrets.grafanaAdmin.name: "monitoring-basic-auth" is also stack.secrets.basicAuth.name; each Secret needs a name of its own (they would overwrite each other)',
      ],
    ],
  ])("%s", async (_name, patch, problems) => {
    await copyPristine();
    const before = await snapshot(scratch);
    const want = { code: EXIT.invalid, out: "", err: [...problems.map((p) => `error: ${p}`), NOTHING(problems.length)].join("\n") };
    expect(await generate(withStack(patch))).toEqual(want);
    expect(await generate(withStack(patch), { check: true })).toEqual(want);
    expect(await snapshot(scratch)).toEqual(before);
  });
});

describe("files generate does not own", () => {
  const HAND = "# hand-written, not ours\ncreation_rules: []\n";
  const foreign = (path: string) =>
    `error: ${path}: exists but generate did not write it (not in ${OWNERSHIP_INDEX}); move it away, or run o11y-gitops generate --adopt ${path} to let generate own and overwrite it`;

  it.each([
    ["in a repo without an index", false],
    ["in a repo whose index does not list them", true],
  ])("hand-written .sops.yaml and flux/kustomization.yaml %s: exit 2, one line each, nothing written", async (_name, withIndex) => {
    if (withIndex) {
      await copyPristine();
      const index = await readIndex();
      await writeIndex({ ...index, files: index.files.filter((f) => f !== ".sops.yaml" && f !== "kubernetes/flux/kustomization.yaml") });
    }
    await mkdir(join(repo, "kubernetes/flux"), { recursive: true });
    await writeFile(join(repo, ".sops.yaml"), HAND);
    await writeFile(join(repo, "kubernetes/flux/kustomization.yaml"), "resources: [mine.yaml]\n");
    const before = await snapshot(scratch);
    const want = { code: EXIT.invalid, out: "", err: [foreign(".sops.yaml"), foreign("kubernetes/flux/kustomization.yaml"), NOTHING(2)].join("\n") };
    expect(await generate(stack)).toEqual(want);
    expect(await generate(stack, { check: true })).toEqual(want);
    expect(await snapshot(scratch)).toEqual(before);
  });

  it("--adopt takes them over: written, listed in the index, pruned later like any owned file", async () => {
    await mkdir(join(repo, "kubernetes/flux"), { recursive: true });
    await writeFile(join(repo, ".sops.yaml"), HAND);
    await writeFile(join(repo, "kubernetes/flux/kustomization.yaml"), "resources: [mine.yaml]\n");
    const res = await generate(stack, { adopt: ["./.sops.yaml", "kubernetes/flux/kustomization.yaml"] });
    expect([res.code, res.err.split("\n").filter((l) => l.startsWith("error"))]).toEqual([EXIT.ok, []]);
    expect(await readFile(join(repo, ".sops.yaml"), "utf8")).toBe(await readFile(join(pristine, ".sops.yaml"), "utf8"));
    expect((await readIndex()).files).toContain(".sops.yaml");
    expect((await generate(stack, { check: true })).code).toBe(EXIT.ok);
    expect(await snapshot(repo)).toEqual(await snapshot(pristine));
  });

  it("--adopt of a path the tree does not write, or of a seeded secret, is refused", async () => {
    await copyPristine();
    const before = await snapshot(scratch);
    const seeded = "kubernetes/infrastructure/configs/seaweedfs-s3-secret.yaml";
    expect(await generate(stack, { adopt: ["notes.md", seeded] })).toEqual({
      code: EXIT.invalid,
      out: "",
      err: [
        `error: --adopt ${seeded}: not a file generate writes (only regenerated files can be adopted; seeded secrets are yours already)`,
        "error: --adopt notes.md: not a file generate writes (only regenerated files can be adopted; seeded secrets are yours already)",
        NOTHING(2),
      ].join("\n"),
    });
    expect(await snapshot(scratch)).toEqual(before);
  });

  it("a file with exactly the bytes generate would write is taken over silently (nothing is lost)", async () => {
    await mkdir(repo);
    await writeFile(join(repo, ".sops.yaml"), await readFile(join(pristine, ".sops.yaml")));
    expect((await generate(stack)).code).toBe(EXIT.ok);
    expect(await snapshot(repo)).toEqual(await snapshot(pristine));
  });
});

describe("symbolic links are never followed", () => {
  const LINK = (path: string, target: string) =>
    `error: ${path}: is a symbolic link (to ${target}); generate never reads, writes or prunes through a link: replace it with a real folder or file`;

  it.each([
    ["a values folder linked outside, with an index entry below it", "kubernetes/apps/monitoring/values", true],
    ["the kubernetes folder linked outside", "kubernetes", false],
    ["one generated file linked to a file outside", "kubernetes/apps/monitoring/values/loki.yaml", false],
  ])("%s: exit 2 naming the link; nothing read, written or pruned on either side", async (_name, linkPath, indexEntry) => {
    await copyPristine();
    const target = join(outside, "elsewhere");
    await rm(join(repo, linkPath), { recursive: true, force: true });
    if (linkPath.endsWith(".yaml")) {
      await writeFile(target, "OUTSIDE FILE\n");
    } else {
      await mkdir(target);
      await writeFile(join(target, "old.yaml"), "OUTSIDE, would be pruned through the link\n");
    }
    await symlink(target, join(repo, linkPath));
    if (indexEntry) {
      const index = await readIndex();
      await writeIndex({ ...index, files: [...index.files, `${linkPath}/old.yaml`] });
    }
    const before = await snapshot(scratch);
    const want = { code: EXIT.invalid, out: "", err: [LINK(linkPath, target), NOTHING(1)].join("\n") };
    expect(await generate(stack)).toEqual(want);
    expect(await generate(stack, { check: true })).toEqual(want);
    expect(await snapshot(scratch)).toEqual(before);
  });

  it("a linked ownership index: exit 2 before it is read", async () => {
    await copyPristine();
    await cp(join(repo, OWNERSHIP_INDEX), join(outside, "index.json"));
    await rm(join(repo, OWNERSHIP_INDEX));
    await symlink(join(outside, "index.json"), join(repo, OWNERSHIP_INDEX));
    const before = await snapshot(scratch);
    expect(await generate(stack)).toEqual({ code: EXIT.invalid, out: "", err: [LINK(OWNERSHIP_INDEX, join(outside, "index.json")), NOTHING(1)].join("\n") });
    expect(await snapshot(scratch)).toEqual(before);
  });
});

describe("seeded secrets typed in without encrypting", () => {
  const S3 = "kubernetes/infrastructure/configs/seaweedfs-s3-secret.yaml";
  const ENV = "docker/stacks/shared/alloy/.sops.env";
  // AWS's documentation example key pair: real-looking, and nobody's.
  const fill = (text: string) =>
    text
      .replace(/"<REPLACE_ME: S3 access key id[^"]*>"/, "AKIAIOSFODNN7EXAMPLE")
      .replace(/"<REPLACE_ME: S3 secret access key[^"]*>"/, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  const PLAIN = `Secret "monitoring/seaweedfs-s3-secret" holds a plaintext value; SOPS-encrypt the file or use a placeholder like <REPLACE_ME: description>`;

  it.each<[string, string, (t: string) => string, string[]]>([
    [
      "the S3 key pair",
      S3,
      fill,
      [
        `error: ${S3}#0 stringData.aws-access-key-id: ${PLAIN}`,
        `error: ${S3}#0 stringData.aws-secret-access-key: ${PLAIN}`,
        `error: ${S3}: a seeded secret holds a plaintext value: encrypt it with sops -e -i ${S3}`,
        "2 plaintext value(s) in seeded secrets; nothing written",
      ],
    ],
    [
      "the Docker hosts' password",
      ENV,
      (t) => t.replace(/^ALLOY_BASIC_AUTH_PASSWORD=.*$/m, "ALLOY_BASIC_AUTH_PASSWORD=correct-horse-battery"),
      [
        `error: ${ENV} line 3: ALLOY_BASIC_AUTH_PASSWORD holds a plaintext value; SOPS-encrypt the file or use a placeholder`,
        `error: ${ENV}: a seeded secret holds a plaintext value: encrypt it with sops -e -i ${ENV}`,
        "1 plaintext value(s) in seeded secrets; nothing written",
      ],
    ],
  ])("%s: generate and --check exit 1 naming the file and key; nothing written", async (_name, path, edit, lines) => {
    await copyPristine();
    const file = join(repo, path);
    const edited = edit(await readFile(file, "utf8"));
    expect(edited).not.toBe(await readFile(file, "utf8"));
    await writeFile(file, edited);
    // A config change that would rewrite files: still nothing is written.
    const changed = withStack((s) => void (s.retention.logs = "31d"));
    const before = await snapshot(scratch);
    for (const check of [false, true]) {
      const res = await generate(changed, { check });
      expect([res.code, res.out]).toEqual([EXIT.drift, ""]);
      expect(res.err.split("\n").filter((l) => !l.startsWith("warning: "))).toEqual(lines);
    }
    expect(await snapshot(scratch)).toEqual(before);
  });

  it("the placeholder skeletons pass", async () => {
    await copyPristine();
    expect((await generate(stack, { check: true })).code).toBe(EXIT.ok);
  });
});

describe("interrupted runs", () => {
  it("temp files left by a killed run: --check reports them (exit 1), generate removes them", async () => {
    await copyPristine();
    const leftovers = ["kubernetes/apps/monitoring/values/.o11y-gitops-0123456789ab.tmp", ".fedcba987654.tmp"];
    for (const l of leftovers) await writeFile(join(repo, l), "");
    const before = await snapshot(scratch);
    const check = await generate(stack, { check: true });
    expect(check.code).toBe(EXIT.drift);
    expect(check.out).toBe(leftovers.sort().map((l) => `${l}: temp file left by an interrupted generate; o11y-gitops generate removes it`).join("\n"));
    expect(check.err.split("\n").filter((l) => l.startsWith("generate"))).toEqual([
      "generate --check: 2 file(s) differ (2 leftover temp file(s) of an interrupted run); run `o11y-gitops generate`",
    ]);
    expect(await snapshot(scratch)).toEqual(before);
    const res = await generate(stack);
    expect([res.code, res.out]).toEqual([EXIT.ok, `generate: ${FILES} files, 2 leftover temp file(s) removed`]);
    expect(await snapshot(repo)).toEqual(await snapshot(pristine));
  });

  it("a run killed after writing new files leaves them in the index: the next run neither refuses nor orphans them", async () => {
    await copyPristine();
    // Every generated path moves (the seeded secrets are new files there; the old ones stay: they are the user's).
    const moved = withStack((s) => void (s.gitops.rootPath = "k8s"));
    let writes = 0;
    let killed: () => void = () => {};
    const atKill = new Promise<void>((resolve) => (killed = resolve));
    // The process stops dead after the third file: the operation never returns, so nothing after it runs
    // (no error handling, no final index), as with SIGKILL.
    const killing: WriterFs = {
      writeAtomic: async (path, content) => {
        await writeAtomic(path, content);
        if (!path.endsWith(OWNERSHIP_INDEX) && ++writes === 3) {
          killed();
          await new Promise<never>(() => {});
        }
      },
      remove: (path) => rm(path, { force: true }),
    };
    void generate(moved, { fs: killing });
    await atKill;
    const index = await readIndex();
    // The index already names every file the run was about to write, and still the old ones.
    expect(index.files.filter((f) => f.startsWith("k8s/")).length).toBeGreaterThan(3);
    expect(index.files).toContain("kubernetes/apps/monitoring/kustomization.yaml");
    const res = await generate(moved);
    expect(res.code).toBe(EXIT.ok);
    expect(res.err.split("\n").filter((l) => l.startsWith("error"))).toEqual([]);
    const again = await generate(moved, { check: true });
    expect([again.code, again.out]).toEqual([EXIT.ok, `generate --check: ${FILES} files up to date`]);
    const fresh = join(scratch, "fresh");
    expect((await generate(moved, { root: fresh })).code).toBe(EXIT.ok);
    // Same tree as a clean render of the new config, plus the user's old seeded secrets: every other file
    // of the old paths pruned.
    const oldSeeded = new Set(index.seeded.filter((f) => !f.startsWith("k8s/")));
    const strip = (snap: Record<string, string>) =>
      Object.fromEntries(Object.entries(snap).filter(([k]) => k !== OWNERSHIP_INDEX && !oldSeeded.has(k) && !/^kubernetes\/(infrastructure\/(configs\/)?)?$/.test(k)));
    expect(strip(await snapshot(repo))).toEqual(strip(await snapshot(fresh)));
  });
});

describe("I/O errors part-way", () => {
  const sysError = (code: string, syscall: string, message: string) => Object.assign(new Error(`${code}: ${message}, ${syscall}`), { code, syscall });

  it.each([
    ["ENOSPC", sysError("ENOSPC", "write", "no space left on device"), "ENOSPC: no space left on device (write)"],
    ["EACCES", sysError("EACCES", "open", "permission denied"), "EACCES: permission denied (open)"],
  ])("%s on the third file: exit 3 naming it and what was and was not written; the index matches the disk", async (_name, error, reason) => {
    await copyPristine();
    const moved = withStack((s) => void (s.gitops.rootPath = "k8s"));
    let writes = 0;
    let failedPath = "";
    const written: string[] = [];
    const failing: WriterFs = {
      writeAtomic: async (path, content) => {
        if (!path.endsWith(OWNERSHIP_INDEX) && ++writes === 3) {
          failedPath = path.slice(repo.length + 1);
          throw error;
        }
        await writeAtomic(path, content);
        if (!path.endsWith(OWNERSHIP_INDEX)) written.push(path.slice(repo.length + 1));
      },
      remove: (path) => rm(path, { force: true }),
    };
    const res = await generate(moved, { fs: failing });
    expect(res.code).toBe(EXIT.io);
    const lines = res.err.split("\n").filter((l) => l.startsWith("error"));
    expect(lines[0]).toBe(`error: ${failedPath}: ${reason}`);
    // Files are written in path order: the two before the failing one were, it and the rest were not.
    expect(written).toEqual([".sops.yaml", "k8s/apps/monitoring/applications/alloy.yaml"]);
    expect(failedPath).toBe("k8s/apps/monitoring/applications/kube-prometheus-stack.yaml");
    const [done, notDone] = lines[1]!.split("; not written: ") as [string, string];
    expect(done).toBe("error: stopped part-way: written: created k8s/apps/monitoring/applications/alloy.yaml; updated .sops.yaml");
    expect(notDone.startsWith(`create ${failedPath}, k8s/apps/monitoring/applications/loki.yaml, `)).toBe(true);
    expect(notDone).toContain("; prune kubernetes/apps/monitoring/applications/alloy.yaml, ");
    expect(notDone.endsWith("; .generated-files.json lists exactly the generated files on disk; run o11y-gitops generate again once the cause is fixed")).toBe(true);
    expect(lines).toHaveLength(2);
    // The index names exactly the owned files on disk: everything it lists exists, every file of the
    // rendered trees (old and new) that exists is listed.
    const index = await readIndex();
    const onDisk = Object.keys(await snapshot(repo)).filter((p) => !p.endsWith("/"));
    for (const f of index.files) expect(onDisk).toContain(f);
    const fresh = join(scratch, "fresh");
    expect((await generate(moved, { root: fresh })).code).toBe(EXIT.ok);
    const candidates = new Set([...Object.keys(await snapshot(pristine)), ...Object.keys(await snapshot(fresh))]);
    const seeded = new Set(index.seeded);
    for (const f of onDisk) if (candidates.has(f) && !seeded.has(f) && f !== OWNERSHIP_INDEX) expect(index.files).toContain(f);
    // The next run finishes the job.
    expect((await generate(moved)).code).toBe(EXIT.ok);
    const again = await generate(moved, { check: true });
    expect([again.code, again.out]).toEqual([EXIT.ok, `generate --check: ${FILES} files up to date`]);
  });

  it("--out below a regular file: the message names the path the user gave", async () => {
    await writeFile(join(scratch, "file.txt"), "a file\n");
    const before = await snapshot(scratch);
    expect(await generate(stack, { root: join(scratch, "file.txt", "tree"), rootLabel: "file.txt/tree" })).toEqual({
      code: EXIT.invalid,
      out: "",
      err: [
        `error: file.txt/tree: ${join(scratch, "file.txt")} is a file, not a folder (the output root must be a folder or a path that can become one)`,
        NOTHING(1),
      ].join("\n"),
    });
    expect(await generate(stack, { root: join(scratch, "file.txt"), rootLabel: "file.txt", check: true })).toEqual({
      code: EXIT.invalid,
      out: "",
      err: ["error: file.txt: is a file, not a folder (the output root must be a folder)", NOTHING(1)].join("\n"),
    });
    expect(await snapshot(scratch)).toEqual(before);
  });
});
