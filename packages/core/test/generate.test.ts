import { mkdtemp, readFile, readdir, rm, writeFile, mkdir, stat, symlink } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXIT, OWNERSHIP_INDEX, StackError, render, runGenerate, writeAtomic, type RenderInput, type WriterFs } from "../src/index.js";
import { component, input, stack } from "./_fixtures.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "o11y-gen-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** The content of each of these files under the root. */
async function snapshotOf(paths: readonly string[]): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await readFile(join(root, p), "utf8")] as const)));
}

async function run(inp: RenderInput | (() => RenderInput), check = false, dir = root) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runGenerate(typeof inp === "function" ? inp : () => inp, {
    root: dir,
    check,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const secret = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "demo-secret", namespace: "monitoring" },
  type: "Opaque",
  stringData: { token: "<REPLACE_ME: token>" },
};

describe("generate", () => {
  it("writes the tree, then --check passes and a second write changes nothing", async () => {
    expect((await run(input())).code).toBe(EXIT.ok);
    const files = await listFiles(root);
    expect(files).toContain("kubernetes/apps/monitoring/applications/base.yaml");
    expect(files).toContain("kubernetes/apps/monitoring/values/top.yaml");
    expect(files).toContain(OWNERSHIP_INDEX);
    const check = await run(input(), true);
    expect(check.code).toBe(EXIT.ok);
    expect(check.out).toMatch(/files up to date$/);
    const again = await run(input());
    expect(again.out).toMatch(/no changes$/);
  });

  it("--check on an empty folder exits 1, lists every file as created and writes nothing", async () => {
    const res = await run(input(), true);
    expect(res.code).toBe(EXIT.drift);
    expect(res.out).toContain("+++ b/kubernetes/apps/monitoring/applications/base.yaml");
    expect(res.err).toMatch(/^generate --check: \d+ file\(s\) differ \(\d+ created\); run `o11y-gitops generate`$/m);
    expect(await listFiles(root)).toEqual([]);
  });

  it("--check prints a unified diff for a hand edit and leaves the file as it was", async () => {
    await run(input());
    const path = join(root, "kubernetes/apps/monitoring/values/base.yaml");
    const edited = (await readFile(path, "utf8")).replace("a: 1", "a: 2");
    await writeFile(path, edited);
    const res = await run(input(), true);
    expect(res.code).toBe(EXIT.drift);
    expect(res.out).toContain("-a: 2\n+a: 1");
    expect(await readFile(path, "utf8")).toBe(edited);
  });

  it("prunes only files it owned; hand-written files beside them stay", async () => {
    await run(input());
    const mine = join(root, "kubernetes/apps/monitoring/manifests/notes.md");
    await mkdir(join(root, "kubernetes/apps/monitoring/manifests"), { recursive: true });
    await writeFile(mine, "hand-written\n");
    const fewer = input({ components: [component({ name: "base" })] });
    const check = await run(fewer, true);
    expect(check.code).toBe(EXIT.drift);
    expect(check.out).toContain("--- a/kubernetes/apps/monitoring/applications/top.yaml");
    await run(fewer);
    const files = await listFiles(root);
    expect(files).not.toContain("kubernetes/apps/monitoring/applications/top.yaml");
    expect(files).not.toContain("kubernetes/apps/monitoring/values/top.yaml");
    expect(files).toContain("kubernetes/apps/monitoring/manifests/notes.md");
    expect((await run(fewer, true)).code).toBe(EXIT.ok);
  });

  // plan reads nothing below a folder lstat found absent: these trees had folders removed by hand.
  const APPS = "kubernetes/apps/monitoring/applications";
  it.each([
    {
      what: "an applications folder removed: its files are created again",
      remove: [APPS],
      add: [] as string[],
      only: undefined as string[] | undefined,
      diffed: [`${APPS}/base.yaml`, `${APPS}/top.yaml`],
      notes: [] as string[],
      err: "generate --check: 2 file(s) differ (2 created); run `o11y-gitops generate`",
    },
    {
      what: "a removed folder beside a temp file left in a present one: both are found",
      remove: [APPS],
      add: ["kubernetes/apps/monitoring/values/.o11y-gitops-0123456789ab.tmp"],
      only: undefined,
      diffed: [`${APPS}/base.yaml`, `${APPS}/top.yaml`],
      notes: ["kubernetes/apps/monitoring/values/.o11y-gitops-0123456789ab.tmp: temp file left by an interrupted generate; o11y-gitops generate removes it"],
      err: "generate --check: 3 file(s) differ (2 created, 1 leftover temp file(s) of an interrupted run); run `o11y-gitops generate`",
    },
    {
      what: "the whole tree removed but the index, and a component dropped: everything created, nothing to prune",
      remove: ["kubernetes"],
      add: [],
      only: ["base"],
      diffed: undefined,
      notes: [],
      err: undefined,
    },
  ])("$what", async ({ remove, add, only, diffed, notes, err }) => {
    await run(input());
    for (const dir of remove) await rm(join(root, dir), { recursive: true });
    for (const file of add) await writeFile(join(root, file), "partial\n");
    const again = only ? input({ components: input().components.filter((c) => only.includes(c.name)) }) : input();
    const files = [...render(again).files.keys()];
    const check = await run(again, true);
    expect(check.code).toBe(EXIT.drift);
    const lines = check.out.split("\n");
    // every file of the removed folders and nothing else: the index too when the file list changed
    const expected = diffed ?? [OWNERSHIP_INDEX, ...files.filter((f) => f.startsWith("kubernetes/"))];
    expect(lines.filter((l) => l.startsWith("+++ b/")).map((l) => l.slice(6)).sort()).toEqual([...expected].sort());
    expect(lines.filter((l) => l.startsWith("@@ ") && !l.startsWith("@@ -0,0 ")).length).toBe(diffed ? 0 : 1);
    expect(lines.filter((l) => !/^(?:[-+@ =]|\\ )/.test(l) && l !== "")).toEqual(notes);
    if (err !== undefined) expect(check.err).toBe(err);
    else expect(check.err).toBe(`generate --check: ${expected.length} file(s) differ (1 updated, ${expected.length - 1} created); run \`o11y-gitops generate\``);
    expect((await run(again)).code).toBe(EXIT.ok);
    expect((await run(again, true)).code).toBe(EXIT.ok);
    expect((await listFiles(root)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("seeds a secret once and never overwrites it; --check ignores its content", async () => {
    const withSecret = input({ seedSecrets: [secret] });
    const first = await run(withSecret);
    expect(first.err).toContain(
      "secret waiting for SOPS encryption: kubernetes/infrastructure/configs/demo-secret.yaml",
    );
    const path = join(root, "kubernetes/infrastructure/configs/demo-secret.yaml");
    const encrypted =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo-secret\n  namespace: monitoring\nstringData:\n  token: ENC[AES256_GCM,data:xyz,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:abc,type:str]\n";
    await writeFile(path, encrypted);
    const check = await run(withSecret, true);
    expect(check.code).toBe(EXIT.ok);
    expect(check.err).not.toContain("waiting for SOPS");
    await run(withSecret);
    expect(await readFile(path, "utf8")).toBe(encrypted);
    // A secret dropped from the config is the user's file: never pruned.
    await run(input());
    expect(await readFile(path, "utf8")).toBe(encrypted);
  });

  it("seeds a dotenv skeleton once; a SOPS-encrypted dotenv is the user's", async () => {
    const withEnv = input({ extraFiles: [{ path: "docker/x/.sops.env", text: "PASSWORD=<REPLACE_ME: pw>\n", seedOnce: true }] });
    const first = await run(withEnv);
    expect(first.err).toContain("secret waiting for SOPS encryption: docker/x/.sops.env");
    const path = join(root, "docker/x/.sops.env");
    expect(await readFile(path, "utf8")).toBe(
      "# Seeded once by `o11y-gitops generate` as a value-free skeleton; never overwritten.\n" +
        "# Fill in the values, then encrypt in place: sops -e -i <this file>\n" +
        "PASSWORD=<REPLACE_ME: pw>\n",
    );
    const encrypted = "PASSWORD=ENC[AES256_GCM,data:abc,type:str]\nsops_mac=ENC[AES256_GCM,data:def,type:str]\n";
    await writeFile(path, encrypted);
    const check = await run(withEnv, true);
    expect([check.code, check.err.includes("waiting for SOPS")]).toEqual([EXIT.ok, false]);
    await run(withEnv);
    expect(await readFile(path, "utf8")).toBe(encrypted);
  });

  it("invalid values: exit 2, one line per problem, nothing written", async () => {
    const bad = input({ components: [component({ name: "base", values: { bad: true } })] });
    const res = await run(bad);
    expect(res.code).toBe(EXIT.invalid);
    expect(res.err).toBe(
      'error: base values: (root): must NOT have additional property "bad"\n1 problem(s); nothing written',
    );
    expect(await listFiles(root)).toEqual([]);
  });

  it("a StackError from a builder: exit 2, nothing written", async () => {
    const res = await run(() => {
      throw new StackError([{ path: "stack.retention.metricsRaw", message: '"24h" is below 40h' }]);
    });
    expect(res).toEqual({
      code: EXIT.invalid,
      out: "",
      err: 'error: stack.retention.metricsRaw: "24h" is below 40h\n1 problem(s); nothing written',
    });
  });

  it("writeAtomic replaces a file whole, and a failed rename leaves the target and no temp file", async () => {
    const target = join(root, "a", "file.yaml");
    await writeAtomic(target, "one\n");
    await writeAtomic(target, "two\n");
    expect(await readFile(target, "utf8")).toBe("two\n");
    const dirTarget = join(root, "a", "dir");
    await mkdir(join(dirTarget, "child"), { recursive: true });
    await expect(writeAtomic(dirTarget, "x")).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(await listFiles(root)).toEqual(["a/file.yaml"]);
    expect((await readdir(join(root, "a"))).sort()).toEqual(["dir", "file.yaml"]);
  });

  it("writes atomically: no temp files are left behind", async () => {
    await run(input({ seedSecrets: [secret] }));
    const files = await listFiles(root);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("property: any invalid config gives exit 2 and writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: fc.constantFrom("Bad_Name", "base"),
          dep: fc.constantFrom("missing", "self"),
          bad: fc.boolean(),
        }),
        async ({ name, dep, bad }) => {
          const dir = await mkdtemp(join(tmpdir(), "o11y-prop-"));
          try {
            const c = component({
              name,
              dependsOn: [dep === "self" ? name : dep],
              values: bad ? { bad: 1 } : { a: 1 },
            });
            const code = await runGenerate(() => input({ components: [c] }), {
              root: dir,
              check: false,
              out: () => {},
              err: () => {},
            });
            expect(code).toBe(EXIT.invalid);
            expect(await listFiles(dir)).toEqual([]);
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it("uses the stack's namespace for every path", async () => {
    await run(input({ stack: { ...stack, namespace: "obs" } }));
    expect((await stat(join(root, "kubernetes/apps/obs/kustomization.yaml"))).isFile()).toBe(true);
    expect((await stat(join(root, "kubernetes/infrastructure/configs/namespace-obs.yaml"))).isFile()).toBe(true);
  });
});

/** A SOPS-encrypted version of `secret` (as `sops -e -i` leaves it), with the given metadata and keys. */
function encryptedSecret(opts: { name?: string; namespace?: string; data?: string[]; stringData?: string[] } = {}): string {
  const lines = ["apiVersion: v1", "kind: Secret", "metadata:", `  name: ${opts.name ?? "demo-secret"}`];
  if (opts.namespace !== "") lines.push(`  namespace: ${opts.namespace ?? "monitoring"}`);
  lines.push("type: Opaque");
  for (const field of ["data", "stringData"] as const) {
    const keys = opts[field] ?? (field === "stringData" ? ["token"] : []);
    if (keys.length === 0) continue;
    lines.push(`${field}:`, ...keys.map((k) => `  ${k}: ENC[AES256_GCM,data:xyz,iv:abc,tag:def,type:str]`));
  }
  lines.push("sops:", "  age:", "    - recipient: age1qqq", "  mac: ENC[AES256_GCM,data:abc,type:str]", "  version: 3.9.0");
  return `${lines.join("\n")}\n`;
}

const SECRET_PATH = "kubernetes/infrastructure/configs/demo-secret.yaml";
const RESEED = "edit the file (sops edit) or delete it to re-seed";

describe("seeded secrets keep the generator's shape", () => {
  const withSecret = input({ seedSecrets: [secret] });

  async function seedWith(content: string): Promise<string> {
    expect((await run(withSecret)).code).toBe(EXIT.ok);
    const path = join(root, SECRET_PATH);
    await writeFile(path, content);
    return path;
  }

  it("an encrypted secret with the same name, namespace and keys passes --check and is left alone", async () => {
    const path = await seedWith(encryptedSecret());
    expect(await run(withSecret, true)).toMatchObject({ code: EXIT.ok, err: "" });
    expect((await run(withSecret)).code).toBe(EXIT.ok);
    expect(await readFile(path, "utf8")).toBe(encryptedSecret());
  });

  it.each([
    ["other keys", encryptedSecret({ stringData: ["password"] }), "keys [password] differ from the generator's [token]"],
    ["an extra key in data", encryptedSecret({ data: ["extra"] }), "keys [extra, token] differ from the generator's [token]"],
    ["no keys", encryptedSecret({ stringData: [] }), "keys [] differ from the generator's [token]"],
    ["another name", encryptedSecret({ name: "renamed" }), 'metadata.name "renamed" differs from the generator\'s "demo-secret"'],
    ["no namespace", encryptedSecret({ namespace: "" }), 'metadata.namespace (none) differs from the generator\'s "monitoring"'],
    [
      "another namespace and keys",
      encryptedSecret({ namespace: "obs", stringData: ["a", "b"] }),
      'metadata.namespace "obs" differs from the generator\'s "monitoring"; keys [a, b] differ from the generator\'s [token]',
    ],
    ["not YAML", "a: [\n", expect.stringMatching(/^cannot be read as a YAML Secret \(.+\)$/)],
  ])("%s: --check exits 1 with the reshape message", async (_name, content, detail) => {
    await seedWith(content);
    const res = await run(withSecret, true);
    expect(res.code).toBe(EXIT.drift);
    const message = typeof detail === "string" ? `${SECRET_PATH}: ${detail}; ${RESEED}` : detail;
    if (typeof detail === "string") expect(res.out).toBe(message);
    else expect(res.out.slice(SECRET_PATH.length + 2, -(RESEED.length + 2))).toEqual(detail);
    expect(res.err).toBe("generate --check: 1 file(s) differ (1 to reshape by hand); run `o11y-gitops generate`");
  });

  it("write mode never overwrites a reshaped secret: it prints the message and exits 1", async () => {
    const content = encryptedSecret({ stringData: ["password"] });
    const path = await seedWith(content);
    const res = await run(withSecret);
    expect(res).toEqual({
      code: EXIT.drift,
      out: `generate: ${render(withSecret).files.size} files, no changes`,
      err: `error: ${SECRET_PATH}: keys [password] differ from the generator's [token]; ${RESEED}`,
    });
    expect(await readFile(path, "utf8")).toBe(content);
  });

  it("an unencrypted skeleton with other keys is reshaped too (and still waits for encryption)", async () => {
    await seedWith(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo-secret\n  namespace: monitoring\nstringData:\n  other: "<REPLACE_ME: x>"\n`);
    const res = await run(withSecret);
    expect(res.code).toBe(EXIT.drift);
    expect(res.err.split("\n")).toEqual([
      `secret waiting for SOPS encryption: ${SECRET_PATH} (fill it in, then: sops -e -i ${SECRET_PATH})`,
      `error: ${SECRET_PATH}: keys [other] differ from the generator's [token]; ${RESEED}`,
    ]);
  });

  const env = { path: "docker/x/.sops.env", text: "PASSWORD=<REPLACE_ME: pw>\nUSER=<REPLACE_ME: user>\n", seedOnce: true };
  it.each([
    ["same names, encrypted", "USER=ENC[AES256_GCM,data:a,type:str]\nPASSWORD=ENC[AES256_GCM,data:b,type:str]\nsops_mac=ENC[AES256_GCM,data:c,type:str]\nsops_version=3.9.0\n", undefined],
    ["same names, placeholders with comments", "# mine\n\nPASSWORD=<REPLACE_ME: a>\nUSER=<REPLACE_ME: b>\n", undefined],
    ["a missing name", "PASSWORD=ENC[AES256_GCM,data:b,type:str]\nsops_mac=ENC[AES256_GCM,data:c,type:str]\n", "keys [PASSWORD] differ from the generator's [PASSWORD, USER]"],
    ["another name", "PASSWORD=ENC[x]\nTOKEN=ENC[y]\nsops_mac=ENC[AES256_GCM,data:c,type:str]\n", "keys [PASSWORD, TOKEN] differ from the generator's [PASSWORD, USER]"],
  ])("dotenv, %s", async (_name, content, detail) => {
    const withEnv = input({ extraFiles: [env] });
    expect((await run(withEnv)).code).toBe(EXIT.ok);
    await writeFile(join(root, env.path), content);
    const res = await run(withEnv, true);
    if (detail === undefined) {
      expect(res.code).toBe(EXIT.ok);
    } else {
      expect([res.code, res.out]).toEqual([EXIT.drift, `${env.path}: ${detail}; ${RESEED}`]);
      expect((await run(withEnv)).code).toBe(EXIT.drift);
    }
    expect(await readFile(join(root, env.path), "utf8")).toBe(content);
  });
});

describe("the ownership index is untrusted input", () => {
  let tree: string;
  let victim: string;
  beforeEach(async () => {
    tree = join(root, "tree");
    victim = join(root, "victim", "x");
    await mkdir(tree);
    await mkdir(join(root, "victim"));
    await writeFile(victim, "VICTIM CONTENT\n");
  });

  const indexWith = (files: unknown, seeded: unknown = []) => JSON.stringify({ generatedBy: "test", files, seeded });

  it.each([
    ["a parent segment", "../victim/x"],
    ["a parent segment inside", "a/../../victim/x"],
    ["an absolute path", "/etc/passwd"],
    ["a backslash", "..\\victim\\x"],
    ["an empty segment", "kubernetes//x.yaml"],
    ["a trailing slash", "kubernetes/"],
    ["a dot segment", "./x.yaml"],
    ["the empty path", ""],
  ])("an entry with %s: exit 2, one line naming it, nothing read, written or deleted", async (_name, entry) => {
    await writeFile(join(tree, OWNERSHIP_INDEX), indexWith(["kubernetes/ok.yaml", entry]));
    const want = {
      code: EXIT.invalid,
      out: "",
      err: `error: .generated-files.json: files entry ${JSON.stringify(entry)} is not a relative path inside the output root\n1 problem(s); nothing written`,
    };
    expect(await run(input(), true, tree)).toEqual(want);
    expect(await run(input(), false, tree)).toEqual(want);
    expect(await readFile(victim, "utf8")).toBe("VICTIM CONTENT\n");
    expect(await listFiles(tree)).toEqual([OWNERSHIP_INDEX]);
  });

  it("checks the seeded list too", async () => {
    await writeFile(join(tree, OWNERSHIP_INDEX), indexWith([], ["../victim/x"]));
    expect((await run(input(), false, tree)).err).toBe(
      'error: .generated-files.json: seeded entry "../victim/x" is not a relative path inside the output root\n1 problem(s); nothing written',
    );
  });

  it("an absolute entry naming a real file outside is refused (its content is never printed)", async () => {
    await writeFile(join(tree, OWNERSHIP_INDEX), indexWith([victim]));
    const res = await run(input(), true, tree);
    expect(res.code).toBe(EXIT.invalid);
    expect(`${res.out}${res.err}`).not.toContain("VICTIM");
    expect(await readFile(victim, "utf8")).toBe("VICTIM CONTENT\n");
  });

  it.each([
    ["bad JSON", "{ not json", /^error: \.generated-files\.json: not valid JSON \(.+\)\n1 problem\(s\); nothing written$/],
    ["an array", "[]", 'error: .generated-files.json: must be a JSON object with "files" and "seeded" arrays\n1 problem(s); nothing written'],
    ["null", "null", 'error: .generated-files.json: must be a JSON object with "files" and "seeded" arrays\n1 problem(s); nothing written'],
    ["files not an array", indexWith("kubernetes/x.yaml"), 'error: .generated-files.json: "files" must be an array of strings\n1 problem(s); nothing written'],
    ["a number entry", indexWith([1]), 'error: .generated-files.json: "files" must be an array of strings\n1 problem(s); nothing written'],
    ["seeded missing", JSON.stringify({ files: [] }), 'error: .generated-files.json: "seeded" must be an array of strings\n1 problem(s); nothing written'],
  ])("a malformed index (%s): exit 2 with a clear message", async (_name, text, want) => {
    await writeFile(join(tree, OWNERSHIP_INDEX), text);
    for (const check of [true, false]) {
      const res = await run(input(), check, tree);
      expect([res.code, res.out]).toEqual([EXIT.invalid, ""]);
      if (typeof want === "string") expect(res.err).toBe(want);
      else expect(res.err).toMatch(want);
    }
    expect(await listFiles(tree)).toEqual([OWNERSHIP_INDEX]);
  });

  it("property: no index entry deletes or reveals a file outside the root", async () => {
    const segment = fc.constantFrom("..", ".", "", "victim", "x", "a", "\\", "..\\victim", "/");
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.boolean(), async (segs, check) => {
        const entry = segs.join("/");
        await writeFile(join(tree, OWNERSHIP_INDEX), indexWith([entry]));
        const res = await run(input(), check, tree);
        expect(`${res.out}${res.err}`).not.toContain("VICTIM");
        expect(await readFile(victim, "utf8")).toBe("VICTIM CONTENT\n");
        if (res.code === EXIT.invalid) expect(res.err).toContain(JSON.stringify(entry));
        await rm(tree, { recursive: true, force: true });
        await mkdir(tree);
      }),
      { numRuns: 40 },
    );
  });
});

describe("I/O errors", () => {
  const mkfifo = (path: string): void => {
    const made = spawnSync("mkfifo", [path]);
    if (made.status !== 0) throw new Error(`mkfifo: ${made.stderr}`);
  };
  // What lstat finds in the way of a path: refused before anything is read, one line each, nothing written.
  const VALUES = "kubernetes/apps/monitoring/values";
  it.each([
    {
      what: "a folder where a file must be written",
      make: async () => mkdir(join(root, VALUES, "base.yaml", "child"), { recursive: true }),
      lines: [`${VALUES}/base.yaml: is a folder where generate writes a file; move it away`],
    },
    {
      what: "a file where a folder must be made",
      make: async () => {
        await mkdir(join(root, "kubernetes/apps/monitoring"), { recursive: true });
        await writeFile(join(root, VALUES), "not a folder\n");
      },
      lines: [`${VALUES}: is a file where generate needs a folder (for ${VALUES}/base.yaml and 1 more); move it away`],
    },
    {
      what: "a folder at the index: refused before the tree is looked at (a file at kubernetes too)",
      make: async () => {
        await writeFile(join(root, "kubernetes"), "");
        await mkdir(join(root, OWNERSHIP_INDEX));
      },
      lines: [`${OWNERSHIP_INDEX}: is a folder where generate writes a file; move it away`],
    },
    {
      what: "a FIFO at a generated path (reading it would block)",
      make: async () => {
        await mkdir(join(root, VALUES), { recursive: true });
        mkfifo(join(root, VALUES, "top.yaml"));
      },
      lines: [`${VALUES}/top.yaml: is a FIFO, socket or device where generate writes a file; move it away`],
    },
    {
      what: "a FIFO where a folder must be made",
      make: async () => {
        await mkdir(join(root, "kubernetes/apps/monitoring"), { recursive: true });
        mkfifo(join(root, VALUES));
      },
      lines: [`${VALUES}: is a FIFO, socket or device where generate needs a folder (for ${VALUES}/base.yaml and 1 more); move it away`],
    },
  ])("$what: exit 2 naming it, in both modes, nothing written", async ({ make, lines }) => {
    await make();
    const before = await listFiles(root);
    for (const check of [true, false]) {
      const res = await run(input(), check);
      expect(res).toEqual({ code: EXIT.invalid, out: "", err: [...lines.map((l) => `error: ${l}`), `${lines.length} problem(s); nothing written`].join("\n") });
      expect(await listFiles(root)).toEqual(before);
    }
  });

  it("a file in the way of both a generated path and the folder of a file to prune: one line, naming a written path", async () => {
    await run(input());
    await rm(join(root, VALUES), { recursive: true });
    await writeFile(join(root, VALUES), "");
    const fewer = input({ components: [component({ name: "base" })] });
    const res = await run(fewer);
    expect(res).toEqual({
      code: EXIT.invalid,
      out: "",
      err: `error: ${VALUES}: is a file where generate needs a folder (for ${VALUES}/base.yaml); move it away\n1 problem(s); nothing written`,
    });
  });

  // Paths generate would only prune (or lists as seeded) are not written: what is there now is not its file.
  it.each([
    {
      what: "an owned file to prune, now a folder of the user's",
      files: [`${VALUES}/top.yaml`],
      seeded: [] as string[],
      make: async () => {
        await rm(join(root, VALUES, "top.yaml"));
        await mkdir(join(root, VALUES, "top.yaml"));
        await writeFile(join(root, VALUES, "top.yaml", "mine"), "mine\n");
      },
      kept: [`${VALUES}/top.yaml/mine`],
    },
    {
      what: "an owned file to prune below what is now a file",
      files: ["gone/x.yaml"],
      seeded: [],
      make: async () => writeFile(join(root, "gone"), "mine\n"),
      kept: ["gone"],
    },
    {
      what: "a seeded file below what is now a file, and a seeded file that is now a folder",
      files: [],
      seeded: ["old/s.yaml", "s2.yaml"],
      make: async () => {
        await writeFile(join(root, "old"), "mine\n");
        await mkdir(join(root, "s2.yaml"));
        await writeFile(join(root, "s2.yaml", "mine"), "mine\n");
      },
      kept: ["old", "s2.yaml/mine"],
    },
  ])("$what: left alone and released from the index", async ({ files, seeded, make, kept }) => {
    await run(input());
    const indexPath = join(root, OWNERSHIP_INDEX);
    const index = JSON.parse(await readFile(indexPath, "utf8")) as { files: string[]; seeded: string[] };
    await writeFile(indexPath, JSON.stringify({ ...index, files: [...new Set([...index.files, ...files])].sort(), seeded: [...index.seeded, ...seeded].sort() }));
    await make();
    const before = await snapshotOf(kept);
    const fewer = input({ components: [component({ name: "base" })] });
    const check = await run(fewer, true);
    expect(check.code).toBe(EXIT.drift);
    for (const f of [...files, ...seeded]) expect(check.out).not.toContain(`a/${f}`);
    expect((await run(fewer)).code).toBe(EXIT.ok);
    expect(await snapshotOf(kept)).toEqual(before);
    const after = JSON.parse(await readFile(indexPath, "utf8")) as { files: string[]; seeded: string[] };
    for (const f of files) expect(after.files).not.toContain(f);
    for (const f of seeded) expect(after.seeded).not.toContain(f);
    expect((await run(fewer, true)).code).toBe(EXIT.ok);
  });

  it("a dangling symlink where a folder must be created: exit 2 naming the link, nothing written", async () => {
    await symlink(join(root, "missing"), join(root, "kubernetes"));
    const res = await run(input());
    expect(res).toEqual({
      code: EXIT.invalid,
      out: "",
      err:
        `error: kubernetes: is a symbolic link (to ${join(root, "missing")}); generate never reads, writes or prunes through a link: replace it with a real folder or file\n` +
        "1 problem(s); nothing written",
    });
    expect(await listFiles(root)).toEqual(["kubernetes"]);
  });

  const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
  /** node:fs, except that writes whose path ends with `failing` throw ENOSPC. */
  const failingOn = (failing: string): WriterFs => ({
    writeAtomic: async (path, content) => {
      if (path.endsWith(failing)) throw enospc();
      await writeAtomic(path, content);
    },
    remove: (path) => rm(path, { force: true }),
  });
  async function runWith(fs: WriterFs) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runGenerate(() => input(), { root, check: false, fs, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("the first file write fails: exit 3, nothing was changed, and the index lists nothing", async () => {
    const first = [...render(input()).files.keys()][0]!;
    const res = await runWith(failingOn(first));
    expect(res.code).toBe(EXIT.io);
    expect(res.err.split("\n")[0]).toBe(`error: ${first}: ENOSPC: no space left on device (write)`);
    expect(res.err.split("\n")[1]).toMatch(
      new RegExp(`^error: stopped part-way: nothing was changed; not written: create ${first.replaceAll(".", "\\.")}, .+; \\.generated-files\\.json lists exactly the generated files on disk; run o11y-gitops generate again once the cause is fixed$`),
    );
    // The index had been written ahead (listing what was to come), then rewritten to list what is there: nothing.
    expect(JSON.parse(await readFile(join(root, OWNERSHIP_INDEX), "utf8"))).toMatchObject({ files: [], seeded: [] });
    expect(await listFiles(root)).toEqual([OWNERSHIP_INDEX]);
    expect((await run(input())).code).toBe(EXIT.ok);
    expect((await run(input(), true)).code).toBe(EXIT.ok);
  });

  it("the index cannot be written ahead: exit 3 naming it, nothing else written", async () => {
    const res = await runWith(failingOn(OWNERSHIP_INDEX));
    expect(res).toMatchObject({ code: EXIT.io, out: "" });
    expect(res.err.split("\n")[0]).toBe(`error: ${OWNERSHIP_INDEX}: ENOSPC: no space left on device (write)`);
    expect(res.err.split("\n")[1]).toMatch(/^error: stopped part-way: nothing was changed; not written: create .+; \.generated-files\.json is unchanged; run o11y-gitops generate again once the cause is fixed$/);
    expect(await listFiles(root)).toEqual([]);
  });

  it("an unowned file at a generated path is refused; --adopt takes it over", async () => {
    const path = "kubernetes/apps/monitoring/values/base.yaml";
    await mkdir(join(root, "kubernetes/apps/monitoring/values"), { recursive: true });
    await writeFile(join(root, path), "mine: true\n");
    const refused = await run(input());
    expect(refused).toEqual({
      code: EXIT.invalid,
      out: "",
      err: `error: ${path}: exists but generate did not write it (not in ${OWNERSHIP_INDEX}); move it away, or run o11y-gitops generate --adopt ${path} to let generate own and overwrite it\n1 problem(s); nothing written`,
    });
    expect(await listFiles(root)).toEqual([path]);
    const adopted = await runGenerate(() => input(), { root, check: false, adopt: [path], out: () => {}, err: () => {} });
    expect(adopted).toBe(EXIT.ok);
    expect(await readFile(join(root, path), "utf8")).toBe(render(input()).files.get(path)!.content);
    expect((await run(input(), true)).code).toBe(EXIT.ok);
  });

  it("EXIT.io is 3, distinct from the other codes", () => {
    expect(EXIT).toEqual({ ok: 0, drift: 1, invalid: 2, io: 3 });
  });
});
