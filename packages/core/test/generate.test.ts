import { mkdtemp, readFile, readdir, rm, writeFile, mkdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXIT, OWNERSHIP_INDEX, StackError, runGenerate, writeAtomic, type RenderInput } from "../src/index.js";
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

async function run(inp: RenderInput | (() => RenderInput), check = false) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runGenerate(typeof inp === "function" ? inp : () => inp, {
    root,
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
    expect(res.err).toMatch(/^generate --check: \d+ file\(s\) differ \(\d+ created\); run `pnpm generate`$/m);
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

  it("seeds a secret once and never overwrites it; --check ignores its content", async () => {
    const withSecret = input({ seedSecrets: [secret] });
    const first = await run(withSecret);
    expect(first.err).toContain(
      "secret waiting for SOPS encryption: kubernetes/infrastructure/configs/demo-secret.yaml",
    );
    const path = join(root, "kubernetes/infrastructure/configs/demo-secret.yaml");
    const encrypted =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo-secret\nstringData:\n  token: ENC[AES256_GCM,data:xyz,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:abc,type:str]\n";
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
      "# Seeded once by `pnpm generate` as a value-free skeleton; never overwritten.\n" +
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
