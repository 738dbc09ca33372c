import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { basicAuthSecret, CONFIG_FINGERPRINT_ANNOTATION, EXIT, PLACEHOLDERS, runGenerate, thanosObjstoreSecret, type Stack } from "../src/index.js";
import { input, stack } from "./_fixtures.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "o11y-fp-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(s: Stack, check: boolean) {
  const lines: string[] = [];
  const code = await runGenerate(() => input({ stack: s, seedSecrets: [thanosObjstoreSecret(s, PLACEHOLDERS)] }), {
    root,
    check,
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
  });
  return { code, text: lines.join("\n") };
}

const path = "kubernetes/infrastructure/configs/thanos-objstore-secret.yaml";

/** What SOPS leaves readable in an encrypted Secret: metadata in clear, values as ENC[...]. */
function encrypt(content: string): string {
  return (
    content.replace(/objstore\.yml: \|\n(?: {4}.*\n)+/, "objstore.yml: ENC[AES256_GCM,data:xyz,type:str]\n") +
    "sops:\n  mac: ENC[AES256_GCM,data:abc,type:str]\n"
  );
}

describe("the objstore Secret's config fingerprint", () => {
  it("depends on the object-store settings, not on the credentials", () => {
    const fp = (s: Stack, creds: Parameters<typeof thanosObjstoreSecret>[1]) =>
      thanosObjstoreSecret(s, creds).metadata.annotations?.[CONFIG_FINGERPRINT_ANNOTATION];
    const a = fp(stack, PLACEHOLDERS);
    expect(a).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(fp(stack, { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret-key-123" })).toBe(a);
    expect(fp({ ...stack, objectStore: { ...stack.objectStore, insecure: false } }, PLACEHOLDERS)).not.toBe(a);
  });

  it("an encrypted Secret whose settings the stack changed fails --check, and is never overwritten", async () => {
    expect((await run(stack, false)).code).toBe(EXIT.ok);
    const encrypted = encrypt(await readFile(join(root, path), "utf8"));
    expect(encrypted).toContain(CONFIG_FINGERPRINT_ANNOTATION);
    await writeFile(join(root, path), encrypted);
    expect((await run(stack, true)).code).toBe(EXIT.ok);

    const tls: Stack = { ...stack, objectStore: { ...stack.objectStore, insecure: false } };
    const check = await run(tls, true);
    expect(check.code).toBe(EXIT.drift);
    expect(check.text).toMatch(
      new RegExp(
        `${path}: annotation ${CONFIG_FINGERPRINT_ANNOTATION} "sha256:[0-9a-f]{16}" differs from the generator's "sha256:[0-9a-f]{16}": ` +
          "the stack settings this Secret's value holds have changed; re-create it \\(S3 secrets: o11y-gitops secrets rotate-s3 " +
          "writes both anew; basic auth: a new line from o11y-gitops secrets htpasswd <user> and this annotation, with sops edit\\)",
      ),
    );
    await run(tls, false);
    expect(await readFile(join(root, path), "utf8")).toBe(encrypted);
  });

  it("does not depend on the placeholder wording or the credentials, only on the settings", () => {
    const annotations = (creds: Parameters<typeof thanosObjstoreSecret>[1]) =>
      thanosObjstoreSecret(stack, creds).metadata.annotations;
    expect(annotations({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret-key-123" })).toEqual(
      annotations(PLACEHOLDERS),
    );
  });

  it("a file from before fingerprints gets a message that says so, not a rotation request", async () => {
    await run(stack, false);
    const withoutAnnotation = encrypt(await readFile(join(root, path), "utf8")).replace(
      /\n  annotations:\n    o11y-gitops\/config-fingerprint: .*/,
      "",
    );
    await writeFile(join(root, path), withoutAnnotation);
    const want = thanosObjstoreSecret(stack, PLACEHOLDERS).metadata.annotations?.[CONFIG_FINGERPRINT_ANNOTATION];
    const check = await run(stack, true);
    expect(check.code).toBe(EXIT.drift);
    expect(check.text).toContain(
      `${path}: annotation ${CONFIG_FINGERPRINT_ANNOTATION} is missing (the file predates it): if its value matches ` +
        `the stack, add "${CONFIG_FINGERPRINT_ANNOTATION}: ${want}" under metadata.annotations with sops edit ` +
        "(a hand edit breaks the SOPS MAC); edit the file (sops edit) or delete it to re-seed",
    );
  });

  it("the basic-auth Secret follows the stack's user", () => {
    const fp = (user: string) =>
      basicAuthSecret({ ...stack, secrets: { ...stack.secrets, basicAuth: { ...stack.secrets.basicAuth, user } } }, PLACEHOLDERS)
        .metadata.annotations?.[CONFIG_FINGERPRINT_ANNOTATION];
    expect(fp("alloy")).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(fp("alloy")).not.toBe(fp("collector"));
  });
});
