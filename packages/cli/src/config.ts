/**
 * Find and load a stack config: a TypeScript file (`.ts`, `.mts`, `.cts`, loaded through tsx's API, no
 * build step) or JavaScript (`.mjs`, `.js`, `.cjs`, imported as is). The module exports the stack as
 * `stack` or as its default export, usually `defineStack({...})`. Its shape is checked at run time
 * (unknown keys, missing and mistyped fields), so a plain-JS config fails like a typed one would.
 */
import { existsSync, statSync } from "node:fs";
import { extname, isAbsolute, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { StackError, stackShapeProblems, type Problem, type Stack } from "@o11y-gitops/core";

/** The file names looked for in the working folder when no `--config` is given, in this order. */
export const DEFAULT_CONFIG_NAMES = ["stack.config.ts", "stack.config.mts", "stack.config.mjs", "stack.config.js"] as const;

const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);
const JAVASCRIPT = new Set([".mjs", ".js", ".cjs"]);

/** A config that could not be found or loaded: one line for the user, exit 2. */
export class ConfigError extends Error {
  /** @param problems the config's shape or value problems, each printed on its own line */
  constructor(
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

/** A loaded config: the stack, and the path to name in messages and headers (relative to `cwd`). */
export interface LoadedConfig {
  /** The exported stack, shape-checked. */
  stack: Stack;
  /** Absolute path of the config file. */
  path: string;
  /** The path as messages show it: relative to the working folder when below it. */
  display: string;
}

/** The display form of a path: relative to `cwd` when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** The config file to load: `--config` as given, else the first default name present in `cwd`. */
export function findConfig(given: string | undefined, cwd: string): string {
  if (given !== undefined) {
    const path = resolve(cwd, given);
    if (!existsSync(path)) throw new ConfigError(`--config ${given}: no such file`);
    if (!statSync(path).isFile()) throw new ConfigError(`--config ${given}: not a file`);
    return path;
  }
  for (const name of DEFAULT_CONFIG_NAMES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  throw new ConfigError(`no stack config found in ${cwd} (looked for ${DEFAULT_CONFIG_NAMES.join(", ")}); pass --config FILE`);
}

async function importConfig(path: string): Promise<Record<string, unknown>> {
  const ext = extname(path);
  const url = pathToFileURL(path).href;
  if (TYPESCRIPT.has(ext)) {
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  if (JAVASCRIPT.has(ext)) return (await import(url)) as Record<string, unknown>;
  throw new ConfigError(`${path}: a stack config is a .ts, .mts, .cts, .mjs, .js or .cjs file, not ${ext === "" ? "a file without extension" : ext}`);
}

/**
 * Load the config at `path`. Throws ConfigError when it cannot be imported, exports no stack, or the
 * stack's shape is wrong (each problem with its `stack.…` path); a StackError thrown by `defineStack`
 * while the module loads is turned into the same.
 */
export async function loadConfig(path: string, cwd: string): Promise<LoadedConfig> {
  const display = displayPath(path, cwd);
  let mod: Record<string, unknown>;
  try {
    mod = await importConfig(path);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const stackError = findStackError(e);
    if (stackError) throw new ConfigError(`${display}: invalid stack config`, stackError.problems);
    const first = String((e as Error | undefined)?.message ?? e).split("\n")[0];
    throw new ConfigError(`${display}: cannot load: ${first}`);
  }
  const exported = "stack" in mod ? mod.stack : "default" in mod ? unwrapDefault(mod.default) : undefined;
  if (exported === undefined) throw new ConfigError(`${display}: exports no stack (export const stack = defineStack({ … }), or export default)`);
  const problems = stackShapeProblems(exported);
  if (problems.length > 0) throw new ConfigError(`${display}: invalid stack config`, problems);
  return { stack: exported as Stack, path, display };
}

/** tsx may wrap a CommonJS default export once more (`{ default: { default: … } }`). */
function unwrapDefault(v: unknown): unknown {
  if (v !== null && typeof v === "object" && "default" in v && !("cluster" in v)) return (v as { default: unknown }).default;
  return v;
}

/** The StackError behind a load failure (tsx and Node may wrap the module's own error). */
function findStackError(e: unknown): StackError | undefined {
  for (let cur = e, depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    if (cur instanceof StackError) return cur;
    if (typeof cur === "object" && "problems" in cur && (cur as { name?: unknown }).name === "StackError") return cur as StackError;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
