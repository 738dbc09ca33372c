/**
 * Secret helpers. Values never come from or go to files in plaintext.
 *
 *   o11y-gitops secrets htpasswd <user> [--cost N]      (this repo: pnpm secrets …)
 *       Reads a password from stdin (no echo on a terminal, asked twice) and prints one bcrypt htpasswd
 *       line (`user:$2y$…`) for the `auth` key of the basic-auth Secret. Writes nothing.
 *
 *   o11y-gitops secrets rotate-s3 [--stdout] [--root DIR]
 *       Reads one S3 key pair (env AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, else two lines on stdin:
 *       access key id, then secret access key), builds BOTH Secrets that hold it (the S3 credentials for
 *       Loki/Tempo and Thanos' objstore.yml) from the stack config, pipes each through
 *       `sops --encrypt … /dev/stdin` and writes only sops' output (temp file + rename) to
 *       <gitops.rootPath>/infrastructure/configs/<name>.yaml under the stack's root. Both are encrypted before either is written.
 *       --stdout prints the two plaintext documents instead, for your own pipeline.
 *
 * Exit codes: 0 done, 1 failed (sops missing or failing, output not encrypted), 2 invalid usage or input.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import bcrypt from "bcryptjs";
import {
  checkS3Credentials,
  formatProblem,
  isSopsEncrypted,
  s3CredentialsSecret,
  thanosObjstoreSecret,
  treePaths,
  writeAtomic,
  yamlFile,
  type S3Credentials,
  type Stack,
} from "@o11y-gitops/core";

/** Where the helpers read and write; the real process in `main`, fakes in tests. */
export interface SecretsIO {
  /** Where passwords and key pairs are read (without echo when it is a terminal). */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Results (an htpasswd line, `--stdout` documents). */
  stdout(text: string): void;
  /** Prompts, notes and errors. */
  stderr(text: string): void;
  /** Environment: `PATH` (to find sops), `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`. */
  env: Record<string, string | undefined>;
}

/** Raised for problems the user can fix; `exitCode` 2 for input/usage, 1 for environment/tool failures. */
export class SecretsError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = "SecretsError";
  }
}

/** Lowest bcrypt cost accepted (each step doubles the work nginx does per authenticated request). */
export const MIN_BCRYPT_COST = 10;
const MAX_BCRYPT_COST = 15;

/** Where the secrets commands run: the stack's root folder and the command name usage messages show. */
export interface SecretsContext {
  /** The folder holding the rendered tree (rotate-s3 writes below it unless `--root` is given). */
  root: string;
  /** How the user runs these commands, e.g. `o11y-gitops secrets` or `pnpm secrets`. */
  command: string;
}

/** The usage text, naming the command as the user runs it. */
export function secretsUsage(command: string): string {
  return `usage:
  ${command} htpasswd <user> [--cost N]      bcrypt htpasswd line from a password on stdin (cost ${MIN_BCRYPT_COST}..${MAX_BCRYPT_COST}, default ${MIN_BCRYPT_COST})
  ${command} rotate-s3 [--stdout] [--root DIR]  re-encrypt both S3 Secrets with one new key pair via sops
`;
}

export const MESSAGES = {
  sopsMissing: "sops was not found on PATH; install sops (https://github.com/getsops/sops), or use --stdout to encrypt with your own tooling",
  envHalf: "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (then the pair is read from stdin)",
  stdinLines: "expected two lines on stdin: the access key id, then the secret access key",
  passwordEmpty: "the password is empty",
  passwordMismatch: "the passwords do not match",
  passwordTooLong: "the password is longer than 72 bytes; bcrypt would silently ignore the rest",
  badUser: (user: string) => `user ${JSON.stringify(user)} must be non-empty and contain no ":" or whitespace`,
  badCost: (cost: string) => `--cost ${JSON.stringify(cost)} must be a whole number from ${MIN_BCRYPT_COST} to ${MAX_BCRYPT_COST}`,
  notEncrypted: (path: string) =>
    `sops output for ${path} is not encrypted (no sops mac, or a credential in clear); nothing written. Check the creation_rules in .sops.yaml`,
  sopsFailed: (path: string, code: number | null, stderr: string) =>
    `sops failed for ${path} (exit ${code ?? "signal"}): ${stderr.trim().split("\n").slice(-3).join(" | ") || "no output"}`,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Input.

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  stream.setEncoding("utf8");
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** Read one line from a terminal without echoing it. */
function readHidden(prompt: string, io: SecretsIO): Promise<string> {
  const input = io.stdin;
  io.stderr(prompt);
  return new Promise((resolvePromise, reject) => {
    let buf = "";
    const finish = (err?: Error): void => {
      input.removeListener("data", onData);
      input.setRawMode?.(false);
      input.pause();
      io.stderr("\n");
      if (err) reject(err);
      else resolvePromise(buf);
    };
    const onData = (chunk: Buffer | string): void => {
      const chars = [...String(chunk)];
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i] as string;
        if (ch === "\r" || ch === "\n") {
          // A pasted chunk may hold the next answer too: give the rest back to the stream.
          let rest = chars.slice(i + 1).join("");
          if (ch === "\r" && rest.startsWith("\n")) rest = rest.slice(1);
          finish();
          if (rest !== "") input.unshift(rest);
          return;
        }
        if (ch === "\u0003") {
          finish(new SecretsError("interrupted", 2));
          return;
        }
        if (ch === "\u0004") {
          if (buf === "") {
            finish(new SecretsError("no input", 2));
            return;
          }
          continue;
        }
        if (ch === "\u007f" || ch === "\b") buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    input.setRawMode?.(true);
    input.setEncoding("utf8");
    input.resume();
    input.on("data", onData);
  });
}

function lines(text: string): string[] {
  const all = text.split("\n").map((l) => l.replace(/\r$/, ""));
  if (all[all.length - 1] === "") all.pop();
  return all;
}

/** The S3 key pair, read once: from the environment when both variables are set, else from stdin. */
export async function readS3Credentials(io: SecretsIO): Promise<S3Credentials> {
  const id = io.env["AWS_ACCESS_KEY_ID"];
  const secret = io.env["AWS_SECRET_ACCESS_KEY"];
  let creds: S3Credentials;
  if (id && secret) {
    creds = { accessKeyId: id, secretAccessKey: secret };
  } else if (id || secret) {
    throw new SecretsError(MESSAGES.envHalf, 2);
  } else if (io.stdin.isTTY) {
    creds = { accessKeyId: await readHidden("S3 access key id: ", io), secretAccessKey: await readHidden("S3 secret access key: ", io) };
  } else {
    const got = lines(await readAll(io.stdin));
    if (got.length !== 2) throw new SecretsError(MESSAGES.stdinLines, 2);
    creds = { accessKeyId: got[0] ?? "", secretAccessKey: got[1] ?? "" };
  }
  const problems = checkS3Credentials(creds);
  if (problems.length > 0) throw new SecretsError(problems.map(formatProblem).join("\n"), 2);
  return creds;
}

async function readPassword(io: SecretsIO): Promise<string> {
  let password: string;
  if (io.stdin.isTTY) {
    password = await readHidden("Password: ", io);
    const again = await readHidden("Confirm password: ", io);
    if (password !== again) throw new SecretsError(MESSAGES.passwordMismatch, 2);
  } else {
    password = lines(await readAll(io.stdin))[0] ?? "";
  }
  if (password === "") throw new SecretsError(MESSAGES.passwordEmpty, 2);
  if (bcrypt.truncates(password)) throw new SecretsError(MESSAGES.passwordTooLong, 2);
  return password;
}

// ---------------------------------------------------------------------------------------------------------
// Commands.

/** One htpasswd line, `user:$2y$<cost>$…` (bcrypt; `$2y$` as Apache's htpasswd -B writes it). */
export function htpasswdLine(user: string, password: string, cost: number = MIN_BCRYPT_COST): string {
  if (!/^[^:\s]+$/.test(user)) throw new SecretsError(MESSAGES.badUser(user), 2);
  if (!Number.isInteger(cost) || cost < MIN_BCRYPT_COST || cost > MAX_BCRYPT_COST) throw new SecretsError(MESSAGES.badCost(String(cost)), 2);
  const salt = bcrypt.genSaltSync(cost).replace(/^\$2[ab]\$/, "$2y$");
  return `${user}:${bcrypt.hashSync(password, salt)}`;
}

async function htpasswd(args: readonly string[], io: SecretsIO, stack: Stack, ctx: SecretsContext): Promise<void> {
  const usage = secretsUsage(ctx.command);
  const flags = parseFlags(args, ["--cost"], [], usage);
  const [user, ...rest] = flags.positional;
  if (user === undefined || rest.length > 0) throw new SecretsError(usage, 2);
  const costText = flags.values.get("--cost") ?? String(MIN_BCRYPT_COST);
  if (!/^[0-9]+$/.test(costText)) throw new SecretsError(MESSAGES.badCost(costText), 2);
  if (!/^[^:\s]+$/.test(user)) throw new SecretsError(MESSAGES.badUser(user), 2);
  const password = await readPassword(io);
  io.stdout(`${htpasswdLine(user, password, Number(costText))}\n`);
  const ref = stack.secrets.basicAuth;
  if (user !== ref.user) {
    io.stderr(`note: stack.secrets.basicAuth.user is ${JSON.stringify(ref.user)}; the Docker-host Alloy authenticates as that user\n`);
  }
  io.stderr(
    `Put this line into the "${ref.key}" key of Secret ${ref.name} (${treePaths(stack).configs}/${ref.name}.yaml), then sops -e -i that file.\n`,
  );
}

/** The two Secrets that share the S3 key pair, with the paths they are committed at. */
export function s3Secrets(stack: Stack, creds: S3Credentials): { path: string; yaml: string }[] {
  const dir = treePaths(stack).configs;
  return [s3CredentialsSecret(stack, creds), thanosObjstoreSecret(stack, creds)].map((secret) => ({
    path: `${dir}/${secret.metadata.name}.yaml`,
    yaml: yamlFile([], [secret]),
  }));
}

/** The first executable `name` on `PATH` (as the child would resolve it), or undefined. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/**
 * Feeds our stdin to sops through a real pipe. Node gives a child a socket as stdin, and sops (Go) cannot
 * open `/dev/stdin` when it is a socket (ENXIO), so a shell built-in loop copies it into a pipeline: no
 * temp file, no external `cat`.
 */
const COPY_THROUGH_PIPE = `while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done | "$0" "$@"`;

/** Run `sops --encrypt` on `input` (via a pipe to /dev/stdin) for `target`; resolves with sops' stdout. */
export function sopsEncrypt(input: string, target: string, root: string, env: SecretsIO["env"]): Promise<string> {
  const sops = findOnPath("sops", env["PATH"]);
  if (sops === undefined) return Promise.reject(new SecretsError(MESSAGES.sopsMissing, 1));
  const args = ["--encrypt", "--input-type", "yaml", "--output-type", "yaml", "--filename-override", target, "/dev/stdin"];
  return new Promise((resolvePromise, reject) => {
    const child = spawn("/bin/sh", ["-c", COPY_THROUGH_PIPE, sops, ...args], {
      cwd: root,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise(out);
      else reject(new SecretsError(MESSAGES.sopsFailed(target, code, err), 1));
    });
    child.stdin.on("error", () => {
      /* sops exited early; its exit code reports why */
    });
    child.stdin.end(input);
  });
}

async function rotateS3(args: readonly string[], io: SecretsIO, stack: Stack, ctx: SecretsContext): Promise<void> {
  const usage = secretsUsage(ctx.command);
  const flags = parseFlags(args, ["--root"], ["--stdout"], usage);
  if (flags.positional.length > 0) throw new SecretsError(usage, 2);
  const root = resolve(flags.values.get("--root") ?? ctx.root);
  const creds = await readS3Credentials(io);
  const secrets = s3Secrets(stack, creds);
  if (flags.switches.has("--stdout")) {
    io.stdout(secrets.map((s) => s.yaml).join(""));
    return;
  }
  const encrypted: { path: string; content: string }[] = [];
  for (const s of secrets) {
    const content = await sopsEncrypt(s.yaml, s.path, root, io.env);
    const leaked = [creds.accessKeyId, creds.secretAccessKey].some((v) => v.length >= 8 && content.includes(v));
    if (!isSopsEncrypted(content) || leaked) {
      throw new SecretsError(MESSAGES.notEncrypted(s.path), 1);
    }
    encrypted.push({ path: s.path, content });
  }
  for (const e of encrypted) {
    await writeAtomic(join(root, e.path), e.content);
    io.stderr(`wrote ${e.path} (sops-encrypted)\n`);
  }
}

function parseFlags(
  args: readonly string[],
  withValue: readonly string[],
  switches: readonly string[],
  usage: string,
): { positional: string[]; values: Map<string, string>; switches: Set<string> } {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const on = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (withValue.includes(a)) {
      const v = args[++i];
      if (v === undefined) throw new SecretsError(`${a} needs a value\n${usage}`, 2);
      values.set(a, v);
    } else if (switches.includes(a)) {
      on.add(a);
    } else if (a.startsWith("--")) {
      throw new SecretsError(`unknown option ${a}\n${usage}`, 2);
    } else {
      positional.push(a);
    }
  }
  return { positional, values, switches: on };
}

/** Run one command; returns the exit code and reports errors on `io.stderr`. */
export async function secretsMain(argv: readonly string[], io: SecretsIO, stack: Stack, ctx: SecretsContext): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === "htpasswd") await htpasswd(args, io, stack, ctx);
    else if (command === "rotate-s3") await rotateS3(args, io, stack, ctx);
    else throw new SecretsError(secretsUsage(ctx.command), 2);
    return 0;
  } catch (err) {
    if (err instanceof SecretsError) {
      io.stderr(err.message.endsWith("\n") ? err.message : `${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
