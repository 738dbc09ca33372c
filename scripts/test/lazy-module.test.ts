// The generate bundle's lazy stand-ins (scripts/generate/lazy-module.cjs): the same exports as the real module,
// in the same order, the same answers, and the real module loaded on the first call, not before.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { lazyModuleSource } = require("../generate/lazy-module.cjs") as { lazyModuleSource: (exports: unknown, real: string, name: string) => string };
const { LAZY_MODULES } = (await import(String(new URL("../generate/bundle.mjs", import.meta.url)))) as { LAZY_MODULES: readonly string[] };

/** Evaluate a stand-in's source with `real` as the module it loads; `loads()` counts the loads. */
function standIn(real: unknown, name = "m") {
  let loads = 0;
  const module = { exports: {} as unknown };
  const source = lazyModuleSource(real, "real:m", name);
  new Function("module", "exports", "require", source)(module, module.exports, (id: string) => {
    expect(id).toBe("real:m");
    loads += 1;
    return real;
  });
  return { value: module.exports as Record<string, unknown> & ((...a: unknown[]) => unknown), loads: () => loads };
}

describe("lazyModuleSource", () => {
  it("an object of functions and regular expressions: same keys in order, the real module loaded on the first call", () => {
    const real = { iri: (v: string) => v.startsWith("http"), duration: /^P\d+D$/iu, ["__proto__"]: (v: string) => v === "x", last: (a: number, b: number) => a + b };
    const { value, loads } = standIn(real);
    expect(Object.keys(value)).toEqual(Object.keys(real));
    expect(loads()).toBe(0);
    expect(value.duration).toBeInstanceOf(RegExp);
    expect([(value.duration as RegExp).source, (value.duration as RegExp).flags]).toEqual([real.duration.source, real.duration.flags]);
    expect(value.duration).not.toBe(real.duration);
    expect(loads()).toBe(0);
    expect([(value.iri as (v: string) => boolean)("http://a"), (value.iri as (v: string) => boolean)("a")]).toEqual([true, false]);
    expect((value.last as (a: number, b: number) => number)(2, 3)).toBe(5);
    const proto = Object.getOwnPropertyDescriptor(value, "__proto__") as PropertyDescriptor;
    expect((proto.value as (v: string) => boolean)("x")).toBe(true);
    expect(loads()).toBe(1);
  });

  it("a function with function properties (is-cidr's shape), each called as the real one is", () => {
    const calls: unknown[] = [];
    const real = Object.assign(
      function (this: unknown, s: string) {
        calls.push(this);
        return s.length;
      },
      {
        v4(this: unknown, s: string) {
          calls.push(this);
          return s === "4";
        },
      },
    );
    const { value, loads } = standIn(real);
    expect(Object.keys(value)).toEqual(["v4"]);
    expect(loads()).toBe(0);
    expect([value("abc"), (value.v4 as (s: string) => boolean)("4")]).toEqual([3, true]);
    // A plain call for the module itself, a method call on the real module for its property.
    expect(calls).toEqual([undefined, real]);
    expect(loads()).toBe(1);
  });

  it.each([
    ["a number", { a: 1 }, 'm: module.exports["a"] is a number'],
    ["a nested object", { a: { b: () => 1 } }, 'm: module.exports["a"] is a nested object'],
    ["an array", { a: [() => 1] }, 'm: module.exports["a"] is an array'],
    ["a string module", "text", "m: module.exports is a string"],
    ["null", null, "m: module.exports is null"],
    ["a function's non-function property", Object.assign(() => 1, { version: "1.0" }), 'm: module.exports["version"] is a string'],
  ])("refuses %s, naming where", (_what, real, where) => {
    expect(() => lazyModuleSource(real, "real:m", "m")).toThrow(
      new Error(`${where}; a lazy stand-in keeps only functions and regular expressions (at the top, one object of them)`),
    );
  });
});

// The real modules, resolved as kubernetes-models' format table (@kubernetes-models/validate's dist/formats.mjs) imports them.
const fromModels = createRequire(require.resolve("@kubernetes-models/prometheus-operator"));
const fromFormats = createRequire(join(dirname(fromModels.resolve("@kubernetes-models/validate")), "formats.mjs"));

const SAMPLES = [
  "", "x", "http://example.com/a?b#c", "https://例え.jp/パス", "//host/path", "/a/b", "a b", "mailto:a@b.c", "a@b.c", "ü@例え.jp",
  "@b.c", "a@", "例え.jp", "-bad-.com", "xn--r8jz45g.jp", "P1D", "PT1H30M", "P", "PT", "P1Y2M3W4DT5H6M7.5S", "10.0.0.0/8", "192.168.1.0/24",
  "10.0.0.0/33", "::/0", "2001:db8::/32", "1.2.3.4", "fe80::1/64",
];

describe.each(LAZY_MODULES.map((m) => [m]))("the stand-in for %s", (specifier) => {
  const path = fromFormats.resolve(specifier);
  const real = fromFormats(path) as Record<string, unknown> & ((s: string) => unknown);
  it("has the real module's exports, answers as they do, and loads it on the first call", () => {
    const { value, loads } = standIn(real, specifier);
    expect(typeof value).toBe(typeof real);
    expect(Object.keys(value)).toEqual(Object.keys(real));
    expect(loads()).toBe(0);
    const checks: [string, unknown, unknown][] = [];
    if (typeof real === "function") checks.push(["(module)", value, real]);
    for (const k of Object.keys(real)) checks.push([k, value[k], real[k]]);
    for (const [k, lazy, original] of checks) {
      if (original instanceof RegExp) {
        expect([k, (lazy as RegExp).source, (lazy as RegExp).flags]).toEqual([k, original.source, original.flags]);
        for (const s of SAMPLES) expect([k, s, (lazy as RegExp).test(s)]).toEqual([k, s, original.test(s)]);
      } else {
        expect([k, typeof lazy]).toEqual([k, "function"]);
        // A plain call for the module itself, a method call on the module for its properties.
        const call = (f: unknown, s: string) => (k === "(module)" ? (f as (s: string) => unknown)(s) : (f as (s: string) => unknown).call(real, s));
        for (const s of SAMPLES) expect([k, s, call(lazy, s)]).toEqual([k, s, call(original, s)]);
      }
    }
    expect(loads()).toBe(checks.some(([, , original]) => typeof original === "function") ? 1 : 0);
  });
});
