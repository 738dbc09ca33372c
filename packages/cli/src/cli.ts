/**
 * `o11y-gitops <command>`: the commands a repo runs on its stack config.
 *
 *   o11y-gitops generate [--config FILE] [--check] [--out DIR]
 *   o11y-gitops secrets htpasswd <user> [--cost N] | rotate-s3 [--stdout] [--root DIR]   [--config FILE]
 *   o11y-gitops template [--config FILE] [--tree DIR] [--check] [--charts-dir DIR] [--out DIR] [--no-cache]
 *   o11y-gitops --help | --version       (and --help after any command)
 *
 * Exit codes: 0 ok; 1 `--check` found differences (or a check failed); 2 invalid input or usage (nothing
 * written); 3 the tree could not be read or written.
 */
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { EXIT, formatProblem, runGenerate, type Tooling } from "@o11y-gitops/core";
import { stackInput } from "@o11y-gitops/stack";
import type { TemplateNaming } from "@o11y-gitops/template";
import { ConfigError, findConfig, loadConfig, type LoadedConfig } from "./config.js";
import type { SecretsIO } from "./secrets.js";
import type { TemplateFlags } from "./template.js";

/** The installed command's name. */
export const CLI_NAME = "o11y-gitops";

/** Where the CLI reads and writes: the real process in the bin, fakes in tests. */
export interface CliIO extends SecretsIO {
  /** The working folder: configs and `--out` resolve against it. */
  cwd: string;
}

/**
 * How the CLI was reached. The bin uses the defaults; a repo's own script (`pnpm generate`) passes the
 * command it is known by, and may hand over a stack it already loaded (then `--config` is refused).
 */
export interface CliOptions {
  /** The command as the user types it, for usage, messages and file headers. @default "o11y-gitops" */
  command?: string;
  /** A stack already loaded, with the config path to name for it (see `LoadedConfig`). */
  config?: LoadedConfig;
  /** What `template`'s messages name beside the commands (the pin list, how to get Helm); default: the package's. */
  templateNaming?: Partial<TemplateNaming>;
}

const require = createRequire(import.meta.url);

/** The version of this package (`o11y-gitops --version`). */
export function cliVersion(): string {
  return (require("../package.json") as { version: string }).version;
}

/** The top-level usage text, naming the command as the user runs it. */
export function usage(command = CLI_NAME): string {
  return `usage: ${command} <command> [options]

commands:
  generate [--config FILE] [--check] [--out DIR] [--adopt PATH…]
      render the stack in FILE (default: ./stack.config.ts, .mts, .mjs or .js) into the folder holding
      FILE, or DIR; --check writes nothing, prints a diff and exits 1 if anything differs
  secrets htpasswd <user> [--cost N]
      print a bcrypt htpasswd line for the basic-auth Secret from a password read on stdin
  secrets rotate-s3 [--stdout] [--root DIR]
      re-encrypt both S3 Secrets with one new key pair through sops
  template [--config FILE] [--tree DIR] [--check] [--charts-dir DIR] [--out DIR] [--no-cache]
      render the tree generate wrote for FILE (in the folder holding it, or DIR) with Helm v4.1.4 and
      check the rendered objects; the charts dir holds the pinned charts (helm pull)

options:
  --config FILE   the stack config (TypeScript or JavaScript; exports \`stack\` or a default)
  --help          this text (or a command's)
  --version       print the version

exit codes: 0 ok, 1 differences found or a check failed, 2 invalid input or usage, 3 I/O error
`;
}

/** The usage text of `generate` (without `--config` where the caller already loaded the stack). */
export function generateUsage(command = CLI_NAME, takesConfig = true): string {
  return `usage: ${command} generate ${takesConfig ? "[--config FILE] " : ""}[--check] [--out DIR] [--adopt PATH…]
${takesConfig ? "\n  --config FILE   the stack config (default: ./stack.config.ts, .mts, .mjs or .js)" : ""}
  --check         write nothing; print a unified diff of every change; exit 1 if anything differs
  --out DIR       render into DIR instead of the folder holding the config
  --adopt PATH…   take over (and overwrite) these existing files generate did not write, relative to the
                  output root; every argument up to the next option is a path
`;
}

class UsageError extends Error {}

interface Parsed {
  config?: string;
  flags: Set<string>;
  values: Map<string, string>;
  /** The paths after `--adopt` (up to the next option), and `--adopt=PATH`s. */
  adopt: string[];
  rest: string[];
}

/** Split `--config FILE`/`--config=FILE` and the given flags off `args`; the rest stays in order. */
function parse(args: readonly string[], withValue: readonly string[], switches: readonly string[], passThrough: boolean): Parsed {
  const out: Parsed = { flags: new Set(), values: new Map(), adopt: [], rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf("=");
    const name = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    if (name === "--adopt" && switches.includes("--adopt")) {
      const paths: string[] = [];
      if (name !== a) paths.push(a.slice(eq + 1));
      else while (i + 1 < args.length && !(args[i + 1] as string).startsWith("--")) paths.push(args[++i] as string);
      if (paths.length === 0 || paths.includes("")) throw new UsageError("--adopt needs one or more paths");
      out.adopt.push(...paths);
    } else if (name === "--config" || withValue.includes(name)) {
      const v = eq > 0 && name !== a ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === "") throw new UsageError(`${name} needs a value`);
      if (name === "--config") out.config = v;
      else out.values.set(name, v);
    } else if (switches.includes(a)) out.flags.add(a);
    else if (passThrough) out.rest.push(a);
    else throw new UsageError(`unknown argument ${JSON.stringify(a)}`);
  }
  return out;
}

/** Run the CLI; returns the exit code. Errors go to `io.stderr`, one line each. */
export async function main(argv: readonly string[], io: CliIO, options: CliOptions = {}): Promise<number> {
  const command = options.command ?? CLI_NAME;
  const say = (text: string): void => io.stdout(text.endsWith("\n") ? text : `${text}\n`);
  const fail = (text: string): void => io.stderr(text.endsWith("\n") ? text : `${text}\n`);
  const [sub, ...args] = argv;
  try {
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      (sub === undefined ? fail : say)(usage(command));
      return sub === undefined ? EXIT.invalid : EXIT.ok;
    }
    if (sub === "--version" || sub === "-v") {
      say(cliVersion());
      return EXIT.ok;
    }
    if (sub === "generate") {
      if (args.includes("--help")) {
        say(generateUsage(command, options.config === undefined));
        return EXIT.ok;
      }
      const p = parse(args, ["--out"], ["--check", "--adopt"], false);
      const config = await configFor(p.config, io, options);
      const out = p.values.get("--out");
      const root = out === undefined ? dirname(config.path) : resolve(io.cwd, out);
      const tooling = toolingFor(command, config.display, { config: p.config, out });
      return await runGenerate(() => stackInput(config.stack, tooling), {
        root,
        rootLabel: out ?? root,
        check: p.flags.has("--check"),
        adopt: p.adopt,
        out: (l) => say(l),
        err: (l) => fail(l),
      });
    }
    if (sub === "secrets") {
      // Loaded here only: generate does not pay for bcrypt and child_process (~3 ms of a cold run).
      const { secretsMain, secretsUsage } = await import("./secrets.js");
      if (args.includes("--help")) {
        say(secretsUsage(`${command} secrets`));
        return EXIT.ok;
      }
      const p = parse(args, [], [], true);
      const config = await configFor(p.config, io, options);
      return await secretsMain(p.rest, io, config.stack, { root: dirname(config.path), command: `${command} secrets` });
    }
    if (sub === "template") {
      // Loaded here only: generate and secrets do not pay for Helm's engine and its schema models.
      const { parseTemplateArgs, templateMain, templateUsage, TemplateUsageError } = await import("./template.js");
      const ctx = { command: `${command} template`, takesConfig: options.config === undefined, cwd: io.cwd, env: io.env, ...(options.templateNaming ? { naming: options.templateNaming } : {}) };
      if (args.includes("--help")) {
        say(templateUsage(ctx.command, ctx.takesConfig));
        return EXIT.ok;
      }
      let flags: TemplateFlags;
      try {
        flags = parseTemplateArgs(args, ctx);
      } catch (e) {
        if (!(e instanceof TemplateUsageError)) throw e;
        fail(`error: ${e.message}`);
        return EXIT.invalid;
      }
      const config = await configFor(flags.config, io, options);
      const root = flags.tree === undefined ? dirname(config.path) : resolve(io.cwd, flags.tree);
      const tooling = toolingFor(command, config.display, { config: flags.config, out: flags.tree });
      return await templateMain(flags, { stack: config.stack, tooling, root }, ctx, say, fail);
    }
    fail(`${command}: unknown command ${JSON.stringify(sub)}`);
    fail(usage(command));
    return EXIT.invalid;
  } catch (e) {
    if (e instanceof UsageError) {
      fail(`error: ${e.message}`);
      fail(sub === "generate" ? generateUsage(command, options.config === undefined) : usage(command));
      return EXIT.invalid;
    }
    if (e instanceof ConfigError) {
      for (const p of e.problems) fail(`error: ${formatProblem(p)}`);
      fail(`error: ${e.message}${e.problems.length > 0 ? `: ${e.problems.length} problem(s); nothing written` : "; nothing written"}`);
      return EXIT.invalid;
    }
    throw e;
  }
}

/**
 * What files and messages name for a run of `<command> generate`: the command, the config as displayed,
 * and the full command line that re-renders the same tree (`--config`/`--out` as the user gave them).
 */
export function toolingFor(command: string, configDisplay: string, given: { config?: string | undefined; out?: string | undefined } = {}): Tooling {
  const generate = `${command} generate`;
  const configFlag = given.config === undefined ? [] : ["--config", given.config];
  return {
    generate,
    rerun: [generate, ...[...configFlag, ...(given.out === undefined ? [] : ["--out", given.out])].map(shellWord)].join(" "),
    secrets: [`${command} secrets`, ...configFlag.map(shellWord)].join(" "),
    config: configDisplay,
  };
}

/** A word as a POSIX shell reads it back: as is when plain, else single-quoted. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`;
}

async function configFor(given: string | undefined, io: CliIO, options: CliOptions): Promise<LoadedConfig> {
  if (options.config) {
    if (given !== undefined) throw new UsageError(`--config is not taken here: this command renders ${options.config.display}`);
    return options.config;
  }
  return loadConfig(findConfig(given, io.cwd), io.cwd);
}
