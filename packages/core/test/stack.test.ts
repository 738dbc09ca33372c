import { describe, expect, it } from "vitest";
import { defineStack, STACK_DEFAULTS, StackError, stackConfigProblems, withCheckedStack, type Stack, type StackInput } from "../src/index.js";
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

describe("withCheckedStack", () => {
  const bad = (s: Stack): Stack => ({ ...s, cluster: "Not_A_Label" });
  const problemsOf = (s: Stack) => stackConfigProblems(s).map((p) => `${p.path}: ${p.message}`);
  const clusterProblem = problemsOf(bad(stack));

  it("a stack with problems: a StackError with exactly those, and fn never runs", () => {
    expect(clusterProblem).toHaveLength(1);
    expect(clusterProblem[0]).toMatch(/^stack\.cluster: /);
    let ran = false;
    let thrown: unknown;
    try {
      withCheckedStack(bad(stack), () => {
        ran = true;
      });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StackError);
    expect((thrown as StackError).message).toBe(clusterProblem.join("\n"));
    expect(ran).toBe(false);
  });

  it("inside, only that very object is taken as checked: a copy or a variant is checked as always", () => {
    const s = { ...stack };
    const seen = withCheckedStack(s, () => {
      const variant = problemsOf(bad(s));
      // Changed in place (which fn must not do) to show what is skipped: this object only.
      (s as { cluster: string }).cluster = "Not_A_Label";
      return { variant, same: problemsOf(s), copy: problemsOf({ ...s }) };
    });
    expect(seen).toEqual({ variant: clusterProblem, same: [], copy: clusterProblem });
  });

  it.each([
    ["returns", () => "done"],
    [
      "throws",
      () => {
        throw new Error("builder failed");
      },
    ],
  ])("the mark is gone once fn %s: the same object, changed afterwards, is checked again", (how, fn) => {
    const s = { ...stack };
    let outcome: string;
    try {
      outcome = withCheckedStack(s, fn);
    } catch (err) {
      outcome = (err as Error).message;
    }
    expect(outcome).toBe(how === "returns" ? "done" : "builder failed");
    (s as { cluster: string }).cluster = "Not_A_Label";
    expect(problemsOf(s)).toEqual(clusterProblem);
  });

  it("nested calls on one object: the mark lasts until the outer call returns", () => {
    const s = { ...stack };
    const inner = withCheckedStack(s, () => {
      withCheckedStack(s, () => undefined);
      return problemsOf(s);
    });
    expect(inner).toEqual([]);
    (s as { cluster: string }).cluster = "Not_A_Label";
    expect(problemsOf(s)).toEqual(clusterProblem);
  });
});
