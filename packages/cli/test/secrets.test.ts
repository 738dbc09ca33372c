import { execFile } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { parse } from "yaml";
import {
  basicAuthSecret,
  checkTreePolicy,
  isPlaceholder,
  PLACEHOLDERS,
  placeholder,
  policyOptionsForStack,
  s3CredentialsSecret,
  secretSkeletons,
  StackError,
  thanosObjstoreSecret,
  type Stack,
} from "@o11y-gitops/core";
import { stack as homelab } from "../../../stack.config.js";
import { htpasswdLine, secretsMain, MESSAGES, s3Secrets, type SecretsIO } from "../src/secrets.js";

const REPO = resolve(import.meta.dirname, "../../..");
const ACCESS = "TESTACCESSKEYID00001";
const SECRET = "test+Secret/Access=Key\\0000000000000000001";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], opts: { stdin?: string; env?: Record<string, string | undefined>; stack?: Stack } = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: SecretsIO = {
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: opts.env ?? {},
  };
  const code = await secretsMain(argv, io, opts.stack ?? homelab, { root: REPO, command: "pnpm secrets" });
  return { code, stdout, stderr };
}

/** Every file under `dir` (relative paths) with its content. */
async function listFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out.set(full.slice(dir.length + 1), await readFile(full, "utf8"));
  }
  return out;
}

/** The fake sops' envelope: YAML with a sops mac, the override filename and the input as base64. */
function openEnvelope(content: string): { filename: string; input: string } {
  const doc = parse(content) as { fake_sops: { filename: string; payload: string } };
  return { filename: doc.fake_sops.filename, input: Buffer.from(doc.fake_sops.payload, "base64").toString("utf8") };
}

let work: string;
let fakeBin: string;
let emptyBin: string;
let sopsLog: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "secrets-test-"));
  fakeBin = join(work, "bin");
  emptyBin = join(work, "empty-bin");
  sopsLog = join(work, "sops-args.log");
  await execFileP("mkdir", ["-p", fakeBin, emptyBin]);
  const fake = `#!${process.execPath}
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_SOPS_LOG, JSON.stringify(args) + "\\n");
const input = fs.readFileSync(args[args.length - 1]);
const filename = args[args.indexOf("--filename-override") + 1];
process.stdout.write("fake_sops:\\n  filename: " + filename + "\\n  payload: " + input.toString("base64") + "\\nsops:\\n    mac: ENC[FAKE]\\n");
`;
  await writeFile(join(fakeBin, "sops"), fake);
  await chmod(join(fakeBin, "sops"), 0o755);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const execFileP = promisify(execFile);

describe("secret builders", () => {
  const creds = { accessKeyId: ACCESS, secretAccessKey: SECRET };

  it("puts one key pair into both S3 Secrets, with the object store settings from the stack", () => {
    const s3 = s3CredentialsSecret(homelab, creds);
    const thanos = thanosObjstoreSecret(homelab, creds);
    expect(s3.metadata).toMatchObject({ name: "seaweedfs-s3-secret", namespace: "monitoring" });
    expect(s3["stringData"]).toEqual({ "aws-access-key-id": ACCESS, "aws-secret-access-key": SECRET });
    expect(thanos.metadata).toMatchObject({ name: "thanos-objstore-secret", namespace: "monitoring" });
    const objstore = parse((thanos["stringData"] as Record<string, string>)["objstore.yml"]!, { version: "1.1" });
    expect(objstore).toEqual({
      type: "S3",
      config: {
        bucket: "thanos-metrics",
        endpoint: "seaweedfs.sharmamohit.com:8333",
        region: "us-east-1",
        insecure: true,
        bucket_lookup_type: "path",
        access_key: ACCESS,
        secret_key: SECRET,
      },
    });
  });

  it.each([
    ["objectStore.insecure", (s: Stack): Stack => ({ ...s, objectStore: { ...s.objectStore, insecure: false } }), "insecure", false],
    ["objectStore.forcePathStyle", (s: Stack): Stack => ({ ...s, objectStore: { ...s.objectStore, forcePathStyle: false } }), "bucket_lookup_type", "auto"],
    ["objectStore.buckets.thanos", (s: Stack): Stack => ({ ...s, objectStore: { ...s.objectStore, buckets: { ...s.objectStore.buckets, thanos: "m" } } }), "bucket", "m"],
  ])("follows stack.%s into objstore.yml", (_field, patch, key, want) => {
    const thanos = thanosObjstoreSecret(patch(structuredClone(homelab) as Stack), PLACEHOLDERS);
    const objstore = parse((thanos["stringData"] as Record<string, string>)["objstore.yml"]!) as { config: Record<string, unknown> };
    expect(objstore.config[key]).toEqual(want);
  });

  it("seeds skeletons whose every value is a placeholder, and that pass the tree policy", () => {
    const [s3, thanos, auth] = secretSkeletons(homelab);
    for (const v of Object.values(s3!["stringData"] as Record<string, string>)) expect(isPlaceholder(v)).toBe(true);
    expect(isPlaceholder((auth!["stringData"] as Record<string, string>)["auth"])).toBe(true);
    const config = (parse((thanos!["stringData"] as Record<string, string>)["objstore.yml"]!) as { config: Record<string, string> }).config;
    expect([isPlaceholder(config["access_key"]), isPlaceholder(config["secret_key"])]).toEqual([true, true]);
    expect(config["access_key"]).toBe((s3!["stringData"] as Record<string, string>)["aws-access-key-id"]);
  });

  it("builds the basic-auth Secret from htpasswd lines", () => {
    const line = htpasswdLine("alloy", "pw");
    expect((basicAuthSecret(homelab, line)["stringData"] as Record<string, string>)["auth"]).toBe(`${line}\n`);
    expect(() => basicAuthSecret(homelab, "no-colon")).toThrow(new StackError([{ path: "htpasswd line 1", message: "is not an htpasswd entry (user:hash)" }]));
  });

  it.each([
    [{ accessKeyId: "", secretAccessKey: SECRET }, "credentials.accessKeyId: is empty"],
    [{ accessKeyId: ACCESS, secretAccessKey: placeholder("x") }, "credentials.secretAccessKey: is still a placeholder"],
    [{ accessKeyId: `${ACCESS}\n`, secretAccessKey: SECRET }, "credentials.accessKeyId: contains whitespace or control characters"],
  ])("rejects bad credentials: %j", (bad, message) => {
    expect(() => s3CredentialsSecret(homelab, bad)).toThrow(message);
  });

  it("rejects placeholder descriptions that would break the syntax", () => {
    expect(() => placeholder("a > b")).toThrow('placeholder description "a > b" must be one non-empty line without "<" or ">"');
    expect(placeholder("aws access key id")).toBe("<REPLACE_ME: aws access key id>");
  });
});

describe("pnpm secrets htpasswd", () => {
  it("prints one $2y$ bcrypt line that verifies, and writes nothing", async () => {
    const before = await listFiles(work);
    const r = await run(["htpasswd", "alloy"], { stdin: "correct horse\n" });
    expect(r.code).toBe(0);
    const out = r.stdout.split("\n");
    expect(out).toHaveLength(2);
    expect(out[1]).toBe("");
    expect(out[0]).toMatch(/^alloy:\$2y\$10\$[./A-Za-z0-9]{53}$/);
    const hash = out[0]!.slice("alloy:".length);
    expect(bcrypt.compareSync("correct horse", hash)).toBe(true);
    expect(bcrypt.compareSync("wrong horse", hash)).toBe(false);
    expect(r.stderr).toContain("monitoring-basic-auth");
    expect(await listFiles(work)).toEqual(before);
  });

  it("honours --cost and notes a user other than the stack's", async () => {
    const r = await run(["htpasswd", "bob", "--cost", "11"], { stdin: "pw" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^bob:\$2y\$11\$/);
    expect(r.stderr).toContain('note: stack.secrets.basicAuth.user is "alloy"; the Docker-host Alloy authenticates as that user');
  });

  it.each([
    [["htpasswd"], "", 2, "usage:"],
    [["htpasswd", "al:loy"], "pw\n", 2, 'user "al:loy" must be non-empty and contain no ":" or whitespace'],
    [["htpasswd", "alloy", "--cost", "4"], "pw\n", 2, '--cost "4" must be a whole number from 10 to 15'],
    [["htpasswd", "alloy"], "\n", 2, "the password is empty"],
    [["htpasswd", "alloy"], `${"x".repeat(73)}\n`, 2, "the password is longer than 72 bytes; bcrypt would silently ignore the rest"],
    [["nope"], "", 2, "usage:"],
  ])("%j with stdin %j exits %i: %s", async (argv, stdin, code, message) => {
    const r = await run(argv, { stdin });
    expect(r.code).toBe(code);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith(message)).toBe(true);
  });
});

describe("pnpm secrets rotate-s3", () => {
  it("encrypts both Secrets with the same key pair through sops and writes only sops' output", async () => {
    const root = await mkdtemp(join(work, "root-"));
    await writeFile(sopsLog, "");
    const r = await run(["rotate-s3", "--root", root], {
      stdin: `${ACCESS}\n${SECRET}\n`,
      env: { PATH: fakeBin, FAKE_SOPS_LOG: sopsLog },
    });
    expect(r).toEqual({
      code: 0,
      stdout: "",
      stderr:
        "wrote kubernetes/infrastructure/configs/seaweedfs-s3-secret.yaml (sops-encrypted)\n" +
        "wrote kubernetes/infrastructure/configs/thanos-objstore-secret.yaml (sops-encrypted)\n",
    });

    const files = await listFiles(root);
    expect([...files.keys()].sort()).toEqual([
      "kubernetes/infrastructure/configs/seaweedfs-s3-secret.yaml",
      "kubernetes/infrastructure/configs/thanos-objstore-secret.yaml",
    ]);
    for (const content of files.values()) {
      expect(content).not.toContain(ACCESS);
      expect(content).not.toContain(SECRET);
    }

    const s3 = openEnvelope(files.get("kubernetes/infrastructure/configs/seaweedfs-s3-secret.yaml")!);
    const thanos = openEnvelope(files.get("kubernetes/infrastructure/configs/thanos-objstore-secret.yaml")!);
    expect([s3.filename, thanos.filename]).toEqual([
      "kubernetes/infrastructure/configs/seaweedfs-s3-secret.yaml",
      "kubernetes/infrastructure/configs/thanos-objstore-secret.yaml",
    ]);
    const creds = { accessKeyId: ACCESS, secretAccessKey: SECRET };
    expect([s3.input, thanos.input]).toEqual(s3Secrets(homelab, creds).map((x) => x.yaml));
    const s3Data = (parse(s3.input) as { stringData: Record<string, string> }).stringData;
    const objstore = parse((parse(thanos.input) as { stringData: Record<string, string> }).stringData["objstore.yml"]!) as {
      config: Record<string, string>;
    };
    expect([s3Data["aws-access-key-id"], s3Data["aws-secret-access-key"]]).toEqual([ACCESS, SECRET]);
    expect([objstore.config["access_key"], objstore.config["secret_key"]]).toEqual([ACCESS, SECRET]);

    const calls = (await readFile(sopsLog, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as string[]);
    expect(calls).toEqual(
      ["seaweedfs-s3-secret", "thanos-objstore-secret"].map((name) => [
        "--encrypt",
        "--input-type",
        "yaml",
        "--output-type",
        "yaml",
        "--filename-override",
        `kubernetes/infrastructure/configs/${name}.yaml`,
        "/dev/stdin",
      ]),
    );
  });

  it("reads the pair from the environment when both variables are set", async () => {
    const root = await mkdtemp(join(work, "root-"));
    const r = await run(["rotate-s3", "--root", root], {
      stdin: "ignored\n",
      env: { PATH: fakeBin, FAKE_SOPS_LOG: sopsLog, AWS_ACCESS_KEY_ID: ACCESS, AWS_SECRET_ACCESS_KEY: SECRET },
    });
    expect(r.code).toBe(0);
    const s3 = openEnvelope((await listFiles(root)).get("kubernetes/infrastructure/configs/seaweedfs-s3-secret.yaml")!);
    expect((parse(s3.input) as { stringData: Record<string, string> }).stringData["aws-secret-access-key"]).toBe(SECRET);
  });

  it("fails with the exact error and writes nothing when sops is missing", async () => {
    const root = await mkdtemp(join(work, "root-"));
    const r = await run(["rotate-s3", "--root", root], { stdin: `${ACCESS}\n${SECRET}\n`, env: { PATH: emptyBin } });
    expect(r).toEqual({ code: 1, stdout: "", stderr: `${MESSAGES.sopsMissing}\n` });
    expect(MESSAGES.sopsMissing).toBe(
      "sops was not found on PATH; install sops (https://github.com/getsops/sops), or use --stdout to encrypt with your own tooling",
    );
    expect((await listFiles(root)).size).toBe(0);
  });

  it("refuses sops output that is not encrypted and writes nothing", async () => {
    const root = await mkdtemp(join(work, "root-"));
    const catBin = await mkdtemp(join(work, "cat-bin-"));
    await writeFile(join(catBin, "sops"), `#!${process.execPath}\nprocess.stdout.write(require("node:fs").readFileSync(process.argv[process.argv.length - 1]));\n`);
    await chmod(join(catBin, "sops"), 0o755);
    const r = await run(["rotate-s3", "--root", root], { stdin: `${ACCESS}\n${SECRET}\n`, env: { PATH: catBin } });
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "sops output for kubernetes/infrastructure/configs/seaweedfs-s3-secret.yaml is not encrypted (no sops mac, or a credential in clear); nothing written. Check the creation_rules in .sops.yaml\n",
    });
    expect((await listFiles(root)).size).toBe(0);
  });

  it("--stdout prints both plaintext documents and writes nothing", async () => {
    const root = await mkdtemp(join(work, "root-"));
    const r = await run(["rotate-s3", "--stdout", "--root", root], { stdin: `${ACCESS}\n${SECRET}\n`, env: { PATH: emptyBin } });
    expect(r.code).toBe(0);
    const docs = r.stdout.split(/^---\n/m).filter((d) => d !== "").map((d) => parse(d) as { metadata: { name: string } });
    expect(docs.map((d) => d.metadata.name)).toEqual(["seaweedfs-s3-secret", "thanos-objstore-secret"]);
    expect(r.stdout.split(SECRET)).toHaveLength(3);
    expect((await listFiles(root)).size).toBe(0);
  });

  it.each([
    [`${ACCESS}\n`, {}, MESSAGES.stdinLines],
    [`${ACCESS}\n${SECRET}\nextra\n`, {}, MESSAGES.stdinLines],
    ["", { AWS_ACCESS_KEY_ID: ACCESS }, MESSAGES.envHalf],
    [`${ACCESS}\n\n`, {}, "credentials.secretAccessKey: is empty"],
  ])("rejects stdin %j with env %j: %s", async (stdin, env, message) => {
    const root = await mkdtemp(join(work, "root-"));
    const r = await run(["rotate-s3", "--root", root], { stdin, env: { PATH: fakeBin, FAKE_SOPS_LOG: sopsLog, ...env } });
    expect(r).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
    expect((await listFiles(root)).size).toBe(0);
  });

  it("as a process (pnpm secrets), leaves no plaintext in the tree or the temp folder", async () => {
    const root = await mkdtemp(join(work, "root-"));
    const tmp = await mkdtemp(join(work, "tmp-"));
    const child = execFileP(process.execPath, ["--import", "tsx", "scripts/secrets.ts", "rotate-s3", "--root", root], {
      cwd: REPO,
      env: { PATH: fakeBin, FAKE_SOPS_LOG: sopsLog, TMPDIR: tmp, HOME: tmp },
    });
    child.child.stdin!.end(`${ACCESS}\n${SECRET}\n`);
    const { stderr } = await child;
    expect(stderr).toContain("wrote kubernetes/infrastructure/configs/thanos-objstore-secret.yaml (sops-encrypted)");
    for (const dir of [root, tmp]) {
      for (const [path, content] of await listFiles(dir)) {
        expect(content.includes(SECRET) || content.includes(ACCESS), `${dir}/${path}`).toBe(false);
      }
    }
  });

  it("rotated Secrets pass the tree policy once encrypted, and fail it in plaintext", async () => {
    const creds = { accessKeyId: ACCESS, secretAccessKey: SECRET };
    const opts = { ...policyOptionsForStack(homelab, []), objectStoreInsecure: false };
    const plain = [s3CredentialsSecret(homelab, creds), thanosObjstoreSecret(homelab, creds)];
    const { errors } = checkTreePolicy(
      plain.map((s, i) => ({ path: `s${i}.yaml`, content: JSON.stringify(s) })),
      opts,
    );
    expect(errors.map((e) => e.path)).toEqual([
      "s0.yaml#0 stringData.aws-access-key-id",
      "s0.yaml#0 stringData.aws-secret-access-key",
      's1.yaml#0 stringData["objstore.yml"].config.access_key',
      's1.yaml#0 stringData["objstore.yml"].config.secret_key',
      "Namespace/monitoring",
    ]);
  });
});

describe("terminal input", () => {
  /** A fake terminal: raw-mode switch recorded, keystrokes delivered as the given chunks. */
  function tty(chunks: string[]): { stdin: SecretsIO["stdin"]; rawModes: boolean[] } {
    const stream = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (m: boolean) => void };
    const rawModes: boolean[] = [];
    stream.isTTY = true;
    stream.setRawMode = (m) => rawModes.push(m);
    setTimeout(() => {
      for (const c of chunks) stream.write(c);
    }, 5);
    return { stdin: stream, rawModes };
  }

  it.each([
    ["typed keystroke by keystroke, with a backspace", ["p", "x", "\u007f", "w", "\r", "p", "w", "\r"]],
    ["pasted in one chunk", ["pw\rpw\r"]],
  ])("htpasswd reads the password twice without echo: %s", async (_name, chunks) => {
    const { stdin, rawModes } = tty(chunks);
    let stdout = "";
    let stderr = "";
    const code = await secretsMain(["htpasswd", "alloy"], { stdin, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} }, homelab, { root: REPO, command: "pnpm secrets" });
    expect(code).toBe(0);
    expect(bcrypt.compareSync("pw", stdout.trim().slice("alloy:".length))).toBe(true);
    expect(stderr.startsWith("Password: \nConfirm password: \n")).toBe(true);
    expect(stderr).not.toContain("pw\n");
    expect(rawModes).toEqual([true, false, true, false]);
  });

  it("rejects a confirmation that differs", async () => {
    const { stdin } = tty(["one\r", "two\r"]);
    let stderr = "";
    const code = await secretsMain(["htpasswd", "alloy"], { stdin, stdout: () => undefined, stderr: (t) => (stderr += t), env: {} }, homelab, { root: REPO, command: "pnpm secrets" });
    expect(code).toBe(2);
    expect(stderr.endsWith(`${MESSAGES.passwordMismatch}\n`)).toBe(true);
  });
});
