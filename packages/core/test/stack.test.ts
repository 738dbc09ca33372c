import { describe, expect, it } from "vitest";
import { defineStack, STACK_DEFAULTS, type StackInput } from "../src/index.js";
import { stack } from "./_fixtures.js";

/** The homelab stack with every defaulted field removed. */
function minimal(): StackInput {
  const { namespace: _n, podSecurity: _p, ingressClassName: _i, ...rest } = stack;
  const { insecure: _s, region: _r, forcePathStyle: _f, ...objectStore } = stack.objectStore;
  const { argocdNamespace: _a, rootPath: _rp, fluxNamespace: _fn, fluxSource: _fs, sopsAgeSecret: _sa, ...gitops } = stack.gitops;
  return { ...rest, objectStore, gitops };
}

describe("defineStack", () => {
  it("fills in every documented default", () => {
    const s = defineStack(minimal());
    expect(s.namespace).toBe("monitoring");
    expect(s.podSecurity).toEqual({ enforce: "privileged", warn: "baseline" });
    expect(s.ingressClassName).toBe("nginx");
    expect(s.objectStore).toMatchObject({ insecure: false, region: "us-east-1", forcePathStyle: true });
    expect(s.gitops).toMatchObject({
      argocdNamespace: "argocd",
      rootPath: "kubernetes",
      fluxNamespace: "flux-system",
      fluxSource: "flux-system",
      sopsAgeSecret: "sops-age",
    });
  });

  it("keeps explicit values, and an explicit undefined does not erase a default", () => {
    const s = defineStack({
      ...minimal(),
      namespace: "obs",
      objectStore: { ...minimal().objectStore, insecure: true, region: undefined },
      gitops: { ...minimal().gitops, rootPath: "clusters/lab" },
    });
    expect([s.namespace, s.objectStore.insecure, s.objectStore.region, s.gitops.rootPath]).toEqual([
      "obs",
      true,
      "us-east-1",
      "clusters/lab",
    ]);
  });

  it("is the identity on a complete stack, and does not share the defaults object", () => {
    expect(defineStack(stack)).toEqual(stack);
    const s = defineStack(minimal());
    expect(s.podSecurity).not.toBe(STACK_DEFAULTS.podSecurity);
  });
});
