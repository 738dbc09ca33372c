// @ts-check
/**
 * Bundle the compiled `pnpm generate` entry (.tsbuild/scripts/…/generate.js, after `tsc -b
 * tsconfig.scripts.json`) with everything it imports (our packages' dist/ through the `o11y-dist` export
 * condition, stack.config, kubernetes-models, yaml, ajv, …) into one CommonJS script, so that a run compiles
 * one script from V8's code cache instead of resolving, linking and evaluating ~300 ES modules. The chart
 * tables (`<chart>.schema.json`) stay separate files, read by generated/dist/index.js on first use.
 *
 * What runs is the same code: esbuild only concatenates modules (no minification, no transforms beyond
 * ESM → CommonJS), and rewrites the two things whose meaning depends on where a module file lives:
 * `import.meta.url` and `__dirname`/`__filename` become the original file's location (computed from the
 * bundle's own folder at run time, so a moved checkout still works), e.g. `new URL(".", import.meta.url)`
 * in generated/dist/index.js still finds the <chart>.schema.json tables beside it and re2-wasm still finds
 * re2.wasm.
 * Any other use of `import.meta` fails the build (esbuild's empty-import-meta turned into an error).
 * Three modules are swapped: kubernetes-models' `@kubernetes-models/validate/runtime/re2` becomes re2-lazy.cjs,
 * the same RE2 constructed on a pattern's first test instead of at load (see there); the format checkers its
 * format table imports (ajv-formats-draft2019's, is-cidr) become lazy stand-ins written from their exports at
 * build time, loading the real module on a checker's first call (lazy-module.cjs).
 *
 * Plain JavaScript on purpose: the `pnpm generate` launcher runs it before anything is compiled.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** re2-lazy.cjs: kubernetes-models' RE2 patterns, constructed on first use (see there). */
const LAZY_RE2 = fileURLToPath(new URL("re2-lazy.cjs", import.meta.url));
/** The modules that get a lazy stand-in (lazy-module.cjs), as kubernetes-models' format table imports them. */
export const LAZY_MODULES = ["ajv-formats-draft2019/formats/index.js", "is-cidr"];
const literally = (/** @type {string} */ text) => text.replace(/[.*+?^$()|[\]{}\\]/g, "\\$&");
const LAZY_FILTER = new RegExp(`^(?:${LAZY_MODULES.map(literally).join("|")})$`);
const LAZY_IMPORTER = /[\\/]@kubernetes-models[\\/]validate[\\/]dist[\\/]formats\.mjs$/;
/** What a stand-in requires to load the real module (resolved back to its file by the plugin). */
const REAL = "o11y-gitops:real:";

/** The CommonJS preamble: where the bundled modules' own files are, from the bundle's folder. */
const BANNER = [
  '"use strict";',
  'const __o11yPath = (rel) => require("node:path").join(__dirname, rel);',
  'const __o11yUrl = (rel) => require("node:url").pathToFileURL(__o11yPath(rel)).href;',
].join("\n");

/**
 * Bundle `entry` into `outfile` (CommonJS). Resolves with the bundle's text; rejects with esbuild's
 * error (its messages are printed to stderr) when a module cannot be bundled.
 * @param {string} entry the compiled generate.js
 * @param {string} outfile where the bundle goes
 * @returns {Promise<string>}
 */
export async function bundleGenerate(entry, outfile) {
  const { build, transform } = await import("esbuild");
  const outdir = dirname(outfile);
  const rel = (/** @type {string} */ p) => JSON.stringify(relative(outdir, p).split("\\").join("/"));
  /** @type {import("esbuild").Plugin} */
  const fileLocations = {
    name: "o11y-file-locations",
    setup(b) {
      b.onLoad({ filter: /\.(?:c|m)?js$/ }, async (args) => {
        const text = await readFile(args.path, "utf8");
        if (!text.includes("import.meta.url") && !/\b__(?:dirname|filename)\b/.test(text)) return undefined;
        const contents = text
          .replace(/\bimport\.meta\.url\b/g, `__o11yUrl(${rel(args.path)})`)
          .replace(/\b__dirname\b/g, `__o11yPath(${rel(dirname(args.path))})`)
          .replace(/\b__filename\b/g, `__o11yPath(${rel(args.path)})`);
        return { contents, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
  /** @type {import("esbuild").Plugin} */
  const lazyRe2 = {
    name: "o11y-lazy-re2",
    setup(b) {
      /** The real module, resolved as kubernetes-models' schemas import it (set by the first import). */
      let real = "";
      b.onResolve({ filter: /^@kubernetes-models\/validate\/runtime\/re2$/ }, async (args) => {
        if (args.pluginData === LAZY_RE2) return undefined;
        if (real === "") {
          const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: LAZY_RE2 });
          if (r.errors.length > 0) return { errors: r.errors };
          real = r.path;
        }
        return { path: LAZY_RE2 };
      });
      b.onResolve({ filter: /^o11y-gitops:re2$/ }, () => (real === "" ? { errors: [{ text: "o11y-gitops:re2 required before any schema imported RE2" }] } : { path: real }));
    },
  };
  /** @type {import("esbuild").Plugin} */
  const lazyModules = {
    name: "o11y-lazy-modules",
    setup(b) {
      const { lazyModuleSource } = createRequire(import.meta.url)("./lazy-module.cjs");
      b.onResolve({ filter: LAZY_FILTER }, async (args) => {
        if (args.pluginData === REAL || !LAZY_IMPORTER.test(args.importer)) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: REAL });
        if (r.errors.length > 0) return { errors: r.errors };
        // Named by the specifier (the bundle names modules by path: no absolute path of this checkout in it).
        return { path: args.path, namespace: "o11y-lazy", pluginData: r.path };
      });
      // The real module's exports, read here at build time, decide the stand-in's shape.
      b.onLoad({ filter: /.*/, namespace: "o11y-lazy" }, (args) => {
        const real = String(args.pluginData);
        return { contents: lazyModuleSource(createRequire(real)(real), `${REAL}${real}`, args.path), loader: "js" };
      });
      b.onResolve({ filter: /^o11y-gitops:real:/ }, (args) => ({ path: args.path.slice(REAL.length) }));
    },
  };
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    write: false,
    platform: "node",
    format: "cjs",
    target: "node20",
    conditions: ["o11y-dist"],
    // `--config x.ts` only (refused when the repo's script hands over its stack): resolved at run time.
    external: ["tsx", "tsx/*"],
    banner: { js: BANNER },
    legalComments: "none",
    logLevel: "warning",
    logOverride: { "empty-import-meta": "error" },
    plugins: [lazyRe2, lazyModules, fileLocations],
  });
  const out = result.outputFiles?.[0];
  if (out === undefined) throw new Error("esbuild produced no output");
  const ascii = asciiComments(out.text);
  if (ascii === out.text) return out.text;
  // Only comments may differ: the two texts without comments and whitespace must be the same code.
  const code = async (/** @type {string} */ t) => (await transform(t, { minifyWhitespace: true, legalComments: "none", logLevel: "silent" })).code;
  return (await code(ascii)) === (await code(out.text)) ? ascii : out.text;
}

/**
 * esbuild writes code as ASCII (non-ASCII characters in strings, templates and regular expressions become
 * escapes) but keeps comments as they are. On a line that is a `//` comment, non-ASCII characters become
 * `\u{…}` text too, so a bundle whose comments were its only non-ASCII is ASCII: the launcher reads it as
 * Latin-1 (a plain copy, ~4 ms faster than decoding UTF-8) and V8 holds it as a one-byte string.
 * bundleGenerate keeps the result only when it is the same code without comments (a line that starts with
 * `//` inside a multi-line template is not a comment); other non-ASCII (a regular expression literal) stays,
 * and the launcher then decodes UTF-8.
 * @param {string} text
 */
export function asciiComments(text) {
  return text.replace(/^([ \t]*\/\/[^\n]*)$/gm, (line) => line.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`));
}
