// The generate bundle's RE2 stand-in (scripts/generate/re2-lazy.cjs): the same answers as kubernetes-models'
// RE2, and re2-wasm loaded on the first test of a pattern, not when a schema module constructs it.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

type RE2Like = { test(s: string): boolean; exec(s: string): unknown; toString(): string };
type RE2Class = new (...args: unknown[]) => RE2Like;
const require = createRequire(import.meta.url);
const { lazyRE2 } = require("../generate/re2-lazy.cjs") as { lazyRE2: (load: () => RE2Class) => RE2Class };
// kubernetes-models' own RE2, as its schemas import it (resolved from a package that depends on it).
const fromModels = createRequire(require.resolve("@kubernetes-models/prometheus-operator"));
const realRE2 = () => (fromModels("@kubernetes-models/validate/runtime/re2") as { default: RE2Class }).default;

// Patterns of the kind kubernetes-models' CRD schemas hand to RE2 (Go syntax: inline flags), and inputs.
const PATTERNS: [string, string][] = [
  ["^(?i)(abort|warn)?$", "u"],
  ["^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "u"],
  ["^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$", "u"],
];
const INPUTS = ["", "abort", "warn", "WARN", "Abort", "abortx", "x", "my-name", "-bad", "30s", "1h30m", "5x", "ünï"];

describe("LazyRE2 (the bundle's kubernetes-models RE2)", () => {
  it("loads RE2 on the first test, once, not when patterns are constructed", () => {
    let loads = 0;
    const Lazy = lazyRE2(() => {
      loads++;
      return realRE2();
    });
    const patterns = PATTERNS.map(([p, f]) => new Lazy(p, f));
    expect(loads).toBe(0);
    expect(patterns[0]?.test("warn")).toBe(true);
    expect(loads).toBe(1);
    for (const p of patterns) p.test("x");
    expect(loads).toBe(3);
    for (const p of patterns) p.test("y");
    expect(loads).toBe(3);
  });

  it.each(PATTERNS)("answers as RE2 does: %s", (pattern, flags) => {
    const RE2 = realRE2();
    const Lazy = lazyRE2(realRE2);
    const real = new RE2(pattern, flags);
    const lazy = new Lazy(pattern, flags);
    for (const s of INPUTS) {
      expect([s, lazy.test(s)]).toEqual([s, real.test(s)]);
      expect([s, lazy.exec(s)]).toEqual([s, real.exec(s)]);
    }
    expect(lazy.toString()).toBe(real.toString());
  });

  it("a pattern RE2 refuses fails on its first test, as RE2's constructor would", () => {
    const RE2 = realRE2();
    expect(() => new RE2("(?<", "u")).toThrow();
    const lazy = new (lazyRE2(realRE2))("(?<", "u");
    expect(() => lazy.test("x")).toThrow();
  });
});
