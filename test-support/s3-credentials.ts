// The cases every S3-backed component (Loki, Tempo) shares: its credentials reach it only as env vars read
// from the S3 credentials Secret (core's `s3CredentialEnv`), its values hold no credential, only `${…}`
// references, and building them twice gives the same values. Tests only; not part of any package.
import { EnvVar } from "kubernetes-models/v1/EnvVar";
import { expect, it } from "vitest";
import { leaves } from "./values.js";

export interface S3CredentialCases<V> {
  /** The values built from the homelab stack. */
  values: V;
  /** Build them again from the same stack. */
  rebuild: () => V;
  /** Where the values carry the container env. */
  env: (values: V) => readonly unknown[] | undefined;
}

/** Registers the shared credential and determinism cases inside the caller's `describe`. */
export function s3CredentialCases<V>({ values, rebuild, env }: S3CredentialCases<V>): void {
  it("renders env vars that are valid core/v1 EnvVars", () => {
    const vars = env(values) ?? [];
    expect(vars).toHaveLength(2);
    for (const e of vars) expect(() => new EnvVar(e as ConstructorParameters<typeof EnvVar>[0]).validate()).not.toThrow();
  });

  it("writes no credential value, only env references", () => {
    const strings = leaves(values).map(([, v]) => v).filter((v): v is string => typeof v === "string");
    expect(strings.filter((s) => s.includes("${"))).toEqual(["${AWS_ACCESS_KEY_ID}", "${AWS_SECRET_ACCESS_KEY}"]);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(rebuild())).toBe(JSON.stringify(values));
  });
}
