// The run-time shape check of a stack config (for plain-JS configs): exact messages per path, and a
// exhaustive check over every field of the homelab stack.
import { describe, expect, it } from "vitest";
import { defineStack, StackError, stackInputShapeProblems, stackShapeProblems, type Problem } from "../src/index.js";
import { leaves } from "../../../test-support/values.js";
import { stack } from "./_fixtures.js";

/** A deep copy of the homelab stack with `edit` applied (any shape: this is what a JS config may hold). */
function edited(edit: (s: Record<string, any>) => void): unknown {
  const s = structuredClone(stack) as unknown as Record<string, any>;
  edit(s);
  return s;
}

const lines = (ps: Problem[]): string[] => ps.map((p) => `${p.path}: ${p.message}`);

describe("stackShapeProblems", () => {
  it("accepts the homelab stack", () => {
    expect(stackShapeProblems(stack)).toEqual([]);
  });

  it.each<[string, (s: Record<string, any>) => void, string[]]>([
    ["a misspelled top-level key", (s) => { s.storageClas = s.storageClass; delete s.storageClass; }, [
      'stack: unknown key "storageClas" (did you mean "storageClass"?)',
      "stack.storageClass: missing: expected a string",
    ]],
    ["a misspelled nested key", (s) => { s.retention.metricRaw = "7d"; delete s.retention.metricsRaw; }, [
      'stack.retention: unknown key "metricRaw" (did you mean "metricsRaw"?)',
      'stack.retention.metricsRaw: missing: expected a duration like "7d"',
    ]],
    ["an unknown key with nothing close", (s) => { s.objectStore.colour = "blue"; }, ['stack.objectStore: unknown key "colour"']],
    ["a missing object", (s) => { delete s.volumes; }, ["stack.volumes: missing: expected an object"]],
    ["a number for a quantity", (s) => { s.volumes.grafana = 2; }, ['stack.volumes.grafana: expected a quantity like "10Gi", found number 2']],
    ["a string for a boolean", (s) => { s.objectStore.insecure = "true"; }, ['stack.objectStore.insecure: expected true or false, found string "true"']],
    ["a value outside an enum", (s) => { s.podSecurity.enforce = "strict"; }, [
      'stack.podSecurity.enforce: expected one of "privileged", "baseline", "restricted", found string "strict"',
    ]],
    ["a string for a list", (s) => { s.gitops.sopsAgeRecipients = "age1x"; }, ['stack.gitops.sopsAgeRecipients: expected a list of strings, found string "age1x"']],
    ["a wrong list item", (s) => { s.gitops.sopsAgeRecipients = ["age1x", 7]; }, ["stack.gitops.sopsAgeRecipients[1]: expected a string, found number 7"]],
    ["null for an object", (s) => { s.hosts = null; }, ["stack.hosts: expected an object, found null"]],
    ["a list for an object", (s) => { s.releases = ["loki"]; }, ["stack.releases: expected an object, found array"]],
    ["a defaulted field left out of a complete stack", (s) => { delete s.namespace; }, ["stack.namespace: missing: expected a string"]],
  ])("%s", (_name, edit, want) => {
    expect(lines(stackShapeProblems(edited(edit)))).toEqual(want);
  });

  it("refuses something that is not an object at all", () => {
    expect(lines(stackShapeProblems(undefined))).toEqual(["stack: expected an object, found undefined"]);
    expect(lines(stackShapeProblems("minipcs"))).toEqual(['stack: expected an object, found string "minipcs"']);
  });

  // Every object field at any depth (list items excluded: a list may be shorter), each removed in turn:
  // a finite set, so checked exhaustively rather than sampled.
  const fieldPaths = [
    ...new Set(
      leaves(stack)
        .map(([p]) => p)
        .filter((p) => !p.includes("["))
        .flatMap((p) => p.split(".").map((_, i, parts) => parts.slice(0, i + 1).join("."))),
    ),
  ].sort();

  it("covers every field of the homelab stack", () => {
    expect(fieldPaths.length).toBeGreaterThan(60);
  });

  it.each(fieldPaths)("removing %s is reported at exactly that path", (path) => {
    const parts = path.split(".");
    const problems = stackShapeProblems(
      edited((s) => {
        let o = s;
        for (const k of parts.slice(0, -1)) o = o[k];
        delete o[parts.at(-1) as string];
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([`stack.${path}`]);
    expect(problems[0]?.message).toMatch(/^missing: expected /);
  });
});

describe("defineStack on an unchecked config", () => {
  it("leaves out every defaulted field without a problem", () => {
    const { namespace: _n, podSecurity: _p, ingressClassName: _i, ...rest } = stack;
    const { insecure: _s, region: _r, forcePathStyle: _f, ...objectStore } = stack.objectStore;
    const { argocdNamespace: _a, rootPath: _rp, fluxNamespace: _fn, fluxSource: _fs, sopsAgeSecret: _sa, ...gitops } = stack.gitops;
    expect(stackInputShapeProblems({ ...rest, objectStore, gitops })).toEqual([]);
  });

  it("still wants every field of a defaulted object given whole (podSecurity)", () => {
    expect(lines(stackInputShapeProblems(edited((s) => { delete s.podSecurity.warn; })))).toEqual([
      'stack.podSecurity.warn: missing: expected one of "privileged", "baseline", "restricted"',
    ]);
  });

  it("throws a StackError naming every problem, before reading any field", () => {
    const bad = edited((s) => {
      s.metricRaw = "7d";
      delete s.retention;
    });
    expect(() => defineStack(bad as never)).toThrow(StackError);
    try {
      defineStack(bad as never);
    } catch (e) {
      expect(lines([...(e as StackError).problems])).toEqual(['stack: unknown key "metricRaw"', "stack.retention: missing: expected an object"]);
    }
  });
});
