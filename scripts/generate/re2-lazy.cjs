// @ts-check
"use strict";
/**
 * The generate bundle's stand-in for `@kubernetes-models/validate/runtime/re2` (bundle.mjs swaps it in).
 * kubernetes-models' schema modules construct their RE2 patterns when the module loads (e.g.
 * PrometheusRule's `partial_response_strategy`), and the first construction compiles and starts re2-wasm
 * (~50 ms). Here a pattern is the same RE2 object, constructed the first time it tests a value: every
 * value that has such a field is still checked by the real RE2, and a run whose objects have none never
 * loads the WebAssembly module. Only `test` and `exec` are used by the ajv-generated validators.
 */
/**
 * A class standing in for RE2: `load()` returns the real RE2 class, called on the first test of any pattern.
 * @param {() => new (...args: unknown[]) => { test(s: string): boolean, exec(s: string): unknown, toString(): string }} load
 */
function lazyRE2(load) {
  return class LazyRE2 {
    /** @type {unknown[]} */
    #args;
    /** @type {{ test(s: string): boolean, exec(s: string): unknown, toString(): string } | undefined} */
    #re;
    /** @param {unknown[]} args the RE2 constructor's (pattern, flags) */
    constructor(...args) {
      this.#args = args;
    }
    #real() {
      if (this.#re === undefined) {
        const RE2 = load();
        this.#re = new RE2(...this.#args);
      }
      return this.#re;
    }
    /** @param {string} s */
    test(s) {
      return this.#real().test(s);
    }
    /** @param {string} s */
    exec(s) {
      return this.#real().exec(s);
    }
    toString() {
      return this.#real().toString();
    }
  };
}
// The class itself: the schemas are .mjs, so their default import of a CommonJS module is module.exports.
// `o11y-gitops:re2` is the real module, resolved by bundle.mjs (only inside the bundle).
module.exports = lazyRE2(() => require("o11y-gitops:re2").default);
module.exports.lazyRE2 = lazyRE2;
