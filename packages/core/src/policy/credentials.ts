/** Plaintext credentials: Secrets, env files, literal credentials and credential patterns anywhere. */
import { parseDocument } from "yaml";
import type { Document } from "yaml";
import { BoundedMap } from "../bounded-map.js";
import { isPlaceholder } from "../secrets.js";
import { emittedDocuments } from "../yaml.js";
import { type At, type Collector, isRecord, type Segment, str } from "./common.js";
import { POLICY_MESSAGES as M } from "./messages.js";
import type { PolicyFile, PolicyOptions } from "./options.js";

const ENC_VALUE = /^ENC\[[^\]]*\]$/;
const ENV_REF = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$__(?:env|file)\{[^}]+\})$/;
const SYS_ENV = /^(?:sys\.)?env\("[A-Za-z_][A-Za-z0-9_]*"\)$/;
/** `:` and the scheme marker of an htpasswd hash (apr1-MD5, bcrypt, SHA-256/512 crypt, SHA-1). */
const HTPASSWD_HASH = String.raw`:(?:\$apr1\$|\$2[abxy]\$|\$[56]\$|\{SHA\})`;
const HTPASSWD_ENTRY = new RegExp(String.raw`(?:^|[\s"'])([^\s:"'#]+)` + HTPASSWD_HASH);
const AWS_KEY = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/;
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
/** A credential-named assignment up to its opening quote: `password = "`, `api_key="`. */
const ASSIGNED = String.raw`(password|passwd|secret_key|secret_access_key|access_key|access_key_id|api_key|bearer_token|token)\s*=\s*"`;
const LITERAL_ASSIGNMENT = new RegExp(String.raw`(?:^|[^\w.])` + ASSIGNED + String.raw`((?:[^"\\\n]|\\.)*)"`, "gi");
const CREDENTIAL_SUFFIXES = [
  "password",
  "passwd",
  "secretkey",
  "secretaccesskey",
  "accesskey",
  "accesskeyid",
  "sessiontoken",
  "bearertoken",
  "apikey",
  "clientsecret",
];

/**
 * True for keys that name a credential: `password`, `basicAuthPassword`, `secret_key`, `aws-access-key-id`,
 * `client_secret`, `token`, `auth`, `credentials`, … (not `passwordKey`, `existingSecret`, `password_file`).
 */
export function isCredentialKey(key: string): boolean {
  let known = credentialKeys.get(key);
  if (known === undefined) {
    const k = key.toLowerCase().replace(/[-_.]/g, "");
    known = k === "token" || k === "auth" || k === "credentials" || CREDENTIAL_SUFFIXES.some((s) => k.endsWith(s));
    credentialKeys.set(key, known);
  }
  return known;
}

/** isCredentialKey's answers: the policy asks about every key of every mapping, and keys repeat. */
const credentialKeys = new BoundedMap<string, boolean>(10_000);

/** A value that is not a literal credential: empty, a placeholder, SOPS ciphertext, or an env reference. */
export function isNonLiteral(value: string): boolean {
  return value === "" || isPlaceholder(value) || ENC_VALUE.test(value) || ENV_REF.test(value) || SYS_ENV.test(value);
}

// --- Secrets ---------------------------------------------------------------------------------------------

export function secretName(obj: Record<string, unknown>): string {
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const name = str(meta["name"]) ?? "(unnamed)";
  const ns = str(meta["namespace"]);
  return JSON.stringify(ns === undefined ? name : `${ns}/${name}`);
}

export function checkSecret(
  obj: Record<string, unknown>,
  at: At,
  opts: PolicyOptions,
  out: Collector,
  fileSops: Record<string, unknown> | undefined,
): void {
  const display = secretName(obj);
  const own = obj["sops"];
  if (isRecord(own) && typeof own["mac"] !== "string") out.error(at(["sops"]), M.sopsNoMac(display));
  const encrypted = isRecord(own) || fileSops !== undefined;

  for (const field of ["stringData", "data"] as const) {
    const entries = obj[field];
    if (!isRecord(entries)) continue;
    for (const [key, raw] of Object.entries(entries)) {
      const segs = [field, key];
      if (encrypted) {
        if (!(typeof raw === "string" && ENC_VALUE.test(raw))) out.error(at(segs), M.sopsUnencrypted(display));
        continue;
      }
      let value: string | undefined = typeof raw === "string" ? raw : undefined;
      if (field === "data" && value !== undefined) value = decodeBase64(value);
      if (value === undefined) {
        out.error(at(segs), M.secretPlaintext(display));
        continue;
      }
      if (value === "" || isPlaceholder(value)) continue;
      const nested = value.includes("\n") ? parseNested(value)?.value : undefined;
      if (nested !== undefined && (isRecord(nested) || Array.isArray(nested))) {
        // A config file (objstore.yml, …): values under credential keys must be placeholders; every other
        // string still goes through the literal-credential scan (an AWS key under `key:` is still one).
        const judged = new Set<string>();
        for (const [path, v] of credentialLeaves(nested, [])) {
          judged.add(JSON.stringify(path));
          if (!isPlaceholder(v)) out.error(at([...segs, ...path]), M.secretPlaintext(display));
        }
        for (const [path, v] of stringLeaves(nested, [])) {
          if (judged.has(JSON.stringify(path)) || isNonLiteral(v)) continue;
          scanText(v, () => at([...segs, ...path]), opts, out);
        }
        continue;
      }
      out.error(at(segs), M.secretPlaintext(display));
    }
  }
}

export function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, "base64").toString("utf8");
}

/** The first line with content that is not a comment (its text from the first non-blank character). */
const FIRST_CONTENT_LINE = /^[ \t]*([^\s#].*)$/m;
/** What a YAML collection's first line may start with besides a plain key: indicators, quotes, `.` (`...`). */
const COLLECTION_START = /^[-?[{&!*%"'@`|>.]/;

/**
 * True when a text cannot be a YAML mapping or sequence: its first content line has no `:` and starts with
 * none of the indicators a collection, a node property or a quoted key starts with. Such a line begins a plain
 * scalar, and a plain scalar can neither be a key spanning lines nor be followed by mapping entries, so the
 * document is a scalar or an error (Alloy configs, shell scripts). Spares the YAML parser on them; callers
 * only ever walk collections.
 */
export function notYamlCollection(text: string): boolean {
  const first = FIRST_CONTENT_LINE.exec(text)?.[1];
  return first !== undefined && !first.includes(":") && !COLLECTION_START.test(first);
}

/** A JSON object or array, spaces around it allowed (a cheap test before JSON.parse). */
const JSON_COLLECTION = /^\s*(?:\{[\s\S]*\}|\[[\s\S]*\])\s*$/;

/**
 * A multi-line string read as data: a text core's emitter wrote (`toYaml`, e.g. Thanos' objstore.yml in its
 * Secret) as the value it was written from, which is what it reads back as (`emittedDocuments`); a JSON object
 * or array as JSON (what its readers — a Grafana dashboard, a JSON config — read); in both cases `doc` is
 * undefined, so label types come from the values, as for a .json file; anything else as a YAML 1.1
 * document; undefined when it is neither, or cannot be a collection
 * (`notYamlCollection`: the callers walk only mappings and sequences). Reading JSON with JSON.parse is also
 * ~100× faster than through the YAML parser (a 11 kB dashboard: 28 ms).
 */
export function parseNested(text: string): NestedData | undefined {
  if (text.length > NESTED_CACHE_TEXT_LIMIT) return parseNestedText(text);
  if (nestedCache.has(text)) return nestedCache.get(text);
  const parsed = parseNestedText(text);
  nestedCache.set(text, parsed);
  return parsed;
}

/** A nested text read as data (`parseNested`); shared between callers of the same text: never mutate it. */
export interface NestedData {
  readonly doc: Document | undefined;
  readonly value: unknown;
}

/**
 * parseNested's answers for recent texts, oldest evicted first. One process rendering several stacks meets
 * the same config texts again (a chart's config template, an objstore skeleton): each is parsed once, and
 * every file that holds it is still walked and scanned. Bounded by entries and by text length.
 */
const nestedCache = new BoundedMap<string, NestedData | undefined>(128);
const NESTED_CACHE_TEXT_LIMIT = 32 * 1024;

function parseNestedText(text: string): NestedData | undefined {
  const emitted = emittedDocuments(text);
  if (emitted?.length === 1) return { doc: undefined, value: emitted[0] };
  if (JSON_COLLECTION.test(text)) {
    try {
      return { doc: undefined, value: JSON.parse(text) as unknown };
    } catch {
      // not JSON after all (a YAML flow collection, a template): read as YAML below
    }
  }
  if (notYamlCollection(text)) return undefined;
  // Only whether there are errors matters here: no pretty error context and no stack traces for the parser's
  // errors (building them was most of the time spent on a text that is not YAML, e.g. a Helm-templated config).
  const limit = Error.stackTraceLimit;
  let doc: Document;
  try {
    Error.stackTraceLimit = 0;
    doc = parseDocument(text, { version: "1.1", prettyErrors: false });
  } finally {
    Error.stackTraceLimit = limit;
  }
  if (doc.errors.length > 0) return undefined;
  return { doc, value: doc.toJS({ maxAliasCount: -1 }) as unknown };
}

/** Every value under a credential-looking key inside a nested structure (scalars stringified). */
export function credentialLeaves(value: unknown, path: Segment[]): [Segment[], unknown][] {
  const found: [Segment[], unknown][] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => found.push(...credentialLeaves(v, [...path, i])));
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (isCredentialKey(k) && !isRecord(v) && !Array.isArray(v) && v !== null && typeof v !== "boolean") {
        found.push([[...path, k], v]);
      } else {
        found.push(...credentialLeaves(v, [...path, k]));
      }
    }
  }
  return found;
}

/** Every string inside a nested structure, with its path. */
export function stringLeaves(value: unknown, path: Segment[]): [Segment[], string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

// --- Literal credentials anywhere --------------------------------------------------------------------------

/**
 * Names that, with a literal value, make a Compose/container environment variable a credential:
 * `isCredentialKey` plus the usual env spellings `*_PASS`, `*_PWD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`,
 * `*_CREDENTIALS`.
 */
const ENV_CREDENTIAL_NAME = /(?:^|_)(?:PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|CREDENTIALS?)$/i;
/** Compose interpolation (`$VAR`, `${VAR}`, `${VAR:?error}`, `${VAR:-}`) and Kubernetes `$(VAR)` references. */
const ENV_INTERPOLATION = /^(?:\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?\?[^}]*|:?-)?\}|\$\([A-Za-z_][A-Za-z0-9_]*\))$/;

export function isCredentialEnvName(name: string): boolean {
  return isCredentialKey(name) || ENV_CREDENTIAL_NAME.test(name);
}

export function isEnvReference(value: string): boolean {
  return isNonLiteral(value) || ENV_INTERPOLATION.test(value);
}

/** The last segment names a credential: a credential key, or a credential-like name in a Compose `environment` map. */
export function isCredentialName(path: readonly Segment[]): boolean {
  const key = path[path.length - 1];
  if (typeof key !== "string") return false;
  return isCredentialKey(key) || (path[path.length - 2] === "environment" && isCredentialEnvName(key));
}

/**
 * Whole-text prefilters, one per line pattern of `scanText`, each run once over the whole text: each is its
 * pattern without the leading context, so a line that matches the pattern means the text matches the
 * prefilter, and a text none matches has no finding; the reverse need not hold (`\s*=\s*` may span lines),
 * which only costs the line-wise scan. Starting at a literal (`:`, a key word) lets the regex engine skip
 * ahead instead of trying the context class at every position (the htpasswd pattern as its own prefilter
 * was ~0.2 ms of every rendered stack).
 */
const MAY_MATCH: readonly RegExp[] = [new RegExp(HTPASSWD_HASH), AWS_KEY, PRIVATE_KEY, new RegExp(ASSIGNED, "i")];

/** Line-wise patterns for text that is not structured data (Alloy configs, scripts, embedded text). */
export function scanText(text: string, at: (line: number) => string, opts: PolicyOptions, out: Collector): void {
  if (!MAY_MATCH.some((re) => re.test(text))) return;
  text.split("\n").forEach((line, i) => {
    const htpasswd = HTPASSWD_ENTRY.exec(line);
    if (htpasswd) out.error(at(i + 1), M.htpasswd(htpasswd[1] ?? "", opts.basicAuthSecret));
    if (AWS_KEY.test(line)) out.error(at(i + 1), M.awsKey());
    if (PRIVATE_KEY.test(line)) out.error(at(i + 1), M.privateKey());
    for (const m of line.matchAll(LITERAL_ASSIGNMENT)) {
      const literal = m[2] ?? "";
      if (!isNonLiteral(literal)) out.error(at(i + 1), M.literalCredential(m[1] ?? ""));
    }
  });
}

// --- Env files ---------------------------------------------------------------------------------------------

export function checkEnvFile(file: PolicyFile, out: Collector): void {
  file.content.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    const where = `${file.path} line ${i + 1}`;
    if (!m) {
      out.error(where, M.envMalformed());
      return;
    }
    const key = m[1] ?? "";
    if (key.startsWith("sops_")) return;
    let value = m[2] ?? "";
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    if (!isNonLiteral(value)) out.error(where, M.envPlaintext(key));
  });
}
