// @ts-check
"use strict";
/**
 * Lazy stand-ins for CommonJS modules inside the generate bundle (bundle.mjs swaps them in, as it does
 * re2-lazy.cjs). kubernetes-models' format table (`@kubernetes-models/validate`'s formats.mjs) imports
 * ajv-formats-draft2019's checkers (iri, idn-email, …, pulling uri-js, schemes, smtp-address-parser, nearley
 * and punycode) and is-cidr (ip-regex, cidr-regex) when it loads: 1.6–2.7 ms of a cold `generate` in paired
 * runs, though no validator of the kinds this stack builds uses those formats. The stand-in has the same
 * exports, in the same order: each function loads the real module on its first call and answers with the
 * real function; a regular expression is the same pattern (source and flags). Anything else is refused at
 * build time, so a new version whose exports are of another kind fails the build instead of being changed
 * silently.
 *
 * The real module's exports are read at build time (bundle.mjs loads it) to write the stand-in's source.
 */

/** A string as a literal in the generated code. */
const lit = (/** @type {string} */ s) => JSON.stringify(s);

/**
 * The source of a CommonJS module standing in for `exports`, a module's exports read at build time.
 * `realSpecifier` is what the stand-in requires to load the real module; `name` names it in errors.
 * @param {unknown} exports
 * @param {string} realSpecifier
 * @param {string} name
 * @returns {string}
 */
function lazyModuleSource(exports, realSpecifier, name) {
  /**
   * An expression for `value`, reached from the real exports through `path` (property names).
   * @param {unknown} value
   * @param {string[]} path
   * @returns {string}
   */
  const expr = (value, path) => {
    const access = path.map((k) => `[${lit(k)}]`).join("");
    if (value instanceof RegExp) return `new RegExp(${lit(value.source)}, ${lit(value.flags)})`;
    if (typeof value === "function") {
      // Called as the real one would be: a plain call for the module itself, a method call on its parent otherwise.
      const fn = `function (...args) { return load()${access}(...args); }`;
      const props = Object.keys(value).map((k) => `[${lit(k)}, ${expr(/** @type {Record<string, unknown>} */ (value)[k], [...path, k])}]`);
      return props.length === 0 ? `(${fn})` : `Object.assign(${fn}, Object.fromEntries([${props.join(", ")}]))`;
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value) && path.length === 0) {
      const entries = Object.keys(value).map((k) => `[${lit(k)}, ${expr(/** @type {Record<string, unknown>} */ (value)[k], [k])}]`);
      return `Object.fromEntries([${entries.join(", ")}])`;
    }
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "a nested object" : `a ${typeof value}`;
    throw new Error(`${name}: module.exports${access} is ${kind}; a lazy stand-in keeps only functions and regular expressions (at the top, one object of them)`);
  };
  const body = expr(exports, []);
  return [
    '"use strict";',
    `// Lazy stand-in for ${name} (scripts/generate/lazy-module.cjs): the real module is loaded on the first call.`,
    "let real;",
    `const load = () => (real ??= require(${lit(realSpecifier)}));`,
    `module.exports = ${body};`,
    "",
  ].join("\n");
}

module.exports = { lazyModuleSource };
