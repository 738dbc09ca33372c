// A small Alloy-syntax parser for the tests: follows the scanner/parser rules of grafana/alloy's `syntax`
// package (terminator insertion after identifiers, literals and closing brackets; Go string escapes;
// trailing commas required before a newline in lists, objects and calls). Binary operators are not
// supported: the emitter never writes them.

export type Expr =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "null" }
  | { kind: "array"; items: Expr[] }
  | { kind: "object"; fields: { key: string; value: Expr }[] }
  | { kind: "access"; path: string[]; line: number }
  | { kind: "call"; callee: string[]; args: Expr[]; line: number }
  | { kind: "unary"; op: "-" | "!"; value: Expr }
  | { kind: "index"; value: Expr; index: Expr };

export type Stmt =
  | { kind: "attribute"; name: string; value: Expr; line: number }
  | { kind: "block"; name: string; label?: string; body: Stmt[]; line: number; comment?: string };

type TokKind =
  | "IDENT" | "NUMBER" | "FLOAT" | "STRING" | "BOOL" | "NULL" | "TERM" | "EOF" | "COMMENT"
  | "=" | "." | "," | "{" | "}" | "[" | "]" | "(" | ")" | "-" | "!" | "OP";

interface Tok {
  kind: TokKind;
  text: string;
  value?: string;
  line: number;
  col: number;
}

export class AlloyParseError extends Error {}

const LETTER = /[\p{L}_]/u;
const DIGIT_OR_LETTER = /[\p{L}_\p{Nd}]/u;
const INSERTS_TERM = new Set<TokKind>(["IDENT", "NUMBER", "FLOAT", "STRING", "BOOL", "NULL", "}", ")", "]"]);

/** Go-style unquoting: `\x..` and octal escapes are bytes, `\u`/`\U` code points; the result must be UTF-8. */
function unquote(body: string, fail: (msg: string) => never): string {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  const pushCp = (cp: number) => bytes.push(...enc.encode(String.fromCodePoint(cp)));
  const chars = [...body];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c !== "\\") {
      pushCp(c.codePointAt(0) as number);
      continue;
    }
    const e = chars[++i];
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, '"': 34, "'": 39 };
    if (e === undefined) fail("escape sequence not terminated");
    if (simple[e] !== undefined) {
      bytes.push(simple[e]);
      continue;
    }
    const digits = (n: number, base: number): number => {
      const s = chars.slice(i + 1, i + 1 + n).join("");
      if (s.length !== n || !new RegExp(`^[${base === 8 ? "0-7" : "0-9a-fA-F"}]{${n}}$`).test(s)) fail(`illegal escape \\${e}${s}`);
      i += n;
      return parseInt(s, base);
    };
    if (e >= "0" && e <= "7") {
      i--;
      const v = digits(3, 8);
      if (v > 255) fail("octal escape above 255");
      bytes.push(v);
    } else if (e === "x") bytes.push(digits(2, 16));
    else if (e === "u" || e === "U") {
      const cp = digits(e === "u" ? 4 : 8, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) fail("escape sequence is invalid Unicode code point");
      pushCp(cp);
    } else fail(`unknown escape sequence \\${e}`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return fail("string is not valid UTF-8");
  }
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  const chars = [...src];
  let i = 0;
  let line = 1;
  let col = 1;
  let insertTerm = false;
  const fail = (msg: string, l = line, c = col): never => {
    throw new AlloyParseError(`${l}:${c}: ${msg}`);
  };
  const advance = () => {
    const ch = chars[i++];
    if (ch === "\n") {
      line++;
      col = 1;
    } else col++;
    return ch;
  };
  while (true) {
    while (i < chars.length && (chars[i] === " " || chars[i] === "\t" || chars[i] === "\r" || (chars[i] === "\n" && !insertTerm))) advance();
    const startLine = line;
    const startCol = col;
    const push = (kind: TokKind, text: string, value?: string) => {
      toks.push(value === undefined ? { kind, text, line: startLine, col: startCol } : { kind, text, value, line: startLine, col: startCol });
      insertTerm = INSERTS_TERM.has(kind);
    };
    if (i >= chars.length) {
      if (insertTerm) toks.push({ kind: "TERM", text: "\n", line, col });
      toks.push({ kind: "EOF", text: "", line, col });
      return toks;
    }
    const ch = chars[i] as string;
    if (ch === "\u0000") fail("illegal character NUL");
    if (ch === "\n") {
      advance();
      toks.push({ kind: "TERM", text: "\n", line: startLine, col: startCol });
      insertTerm = false;
      continue;
    }
    if (LETTER.test(ch)) {
      let s = "";
      while (i < chars.length && DIGIT_OR_LETTER.test(chars[i] as string)) s += advance();
      push(s === "true" || s === "false" ? "BOOL" : s === "null" ? "NULL" : "IDENT", s);
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(chars[i + 1] ?? ""))) {
      let s = "";
      let float = false;
      while (/[0-9]/.test(chars[i] ?? "")) s += advance();
      if (chars[i] === ".") {
        float = true;
        s += advance();
        while (/[0-9]/.test(chars[i] ?? "")) s += advance();
      }
      if (chars[i] === "e" || chars[i] === "E") {
        float = true;
        s += advance();
        if (chars[i] === "+" || chars[i] === "-") s += advance();
        if (!/[0-9]/.test(chars[i] ?? "")) fail("exponent has no digits", startLine, startCol);
        while (/[0-9]/.test(chars[i] ?? "")) s += advance();
      }
      push(float ? "FLOAT" : "NUMBER", s);
      continue;
    }
    if (ch === '"') {
      advance();
      let body = "";
      while (true) {
        const c = chars[i];
        if (c === undefined || c === "\n") fail("string literal not terminated", startLine, startCol);
        advance();
        if (c === '"') break;
        body += c;
        if (c === "\\") {
          const n = chars[i];
          if (n === undefined || n === "\n") fail("escape sequence not terminated");
          body += advance();
        }
      }
      push("STRING", `"${body}"`, unquote(body, (m) => fail(m, startLine, startCol)));
      continue;
    }
    if (ch === "`") {
      advance();
      let body = "";
      while (chars[i] !== "`") {
        if (i >= chars.length) fail("raw string literal not terminated", startLine, startCol);
        body += advance();
      }
      advance();
      push("STRING", `\`${body}\``, body);
      continue;
    }
    if (ch === "/" && chars[i + 1] === "/") {
      let s = "";
      while (i < chars.length && chars[i] !== "\n") s += advance();
      toks.push({ kind: "COMMENT", text: s, line: startLine, col: startCol });
      continue;
    }
    if (ch === "/" && chars[i + 1] === "*") {
      advance();
      advance();
      while (!(chars[i] === "*" && chars[i + 1] === "/")) {
        if (i >= chars.length) fail("block comment not terminated", startLine, startCol);
        advance();
      }
      advance();
      advance();
      continue;
    }
    advance();
    if ("=.,{}[]()".includes(ch)) {
      if (ch === "=" && chars[i] === "=") fail("binary operators are not supported by this parser");
      push(ch as TokKind, ch);
    } else if (ch === "-" || ch === "!") {
      if (ch === "!" && chars[i] === "=") fail("binary operators are not supported by this parser");
      push(ch, ch);
    } else if ("+*%^<>|&".includes(ch)) fail("binary operators are not supported by this parser", startLine, startCol);
    else fail(`illegal character ${JSON.stringify(ch)}`, startLine, startCol);
  }
}

class Parser {
  private pos = 0;
  private readonly toks: Tok[];
  private readonly comments = new Map<number, string[]>();

  constructor(src: string) {
    const all = tokenize(src);
    this.toks = [];
    for (const t of all) {
      if (t.kind === "COMMENT") {
        const lines = this.comments.get(t.line) ?? [];
        lines.push(t.text);
        this.comments.set(t.line, lines);
      } else this.toks.push(t);
    }
    // A comment on its own line leaves the newline before it; drop terminators that follow nothing.
    this.toks = this.toks.filter((t, i, arr) => !(t.kind === "TERM" && i > 0 && arr[i - 1]?.kind === "TERM"));
  }

  private peek(): Tok {
    return this.toks[this.pos] as Tok;
  }

  private next(): Tok {
    return this.toks[this.pos++] as Tok;
  }

  private fail(t: Tok, msg: string): never {
    throw new AlloyParseError(`${t.line}:${t.col}: ${msg}`);
  }

  private expect(kind: TokKind, what: string = kind): Tok {
    const t = this.next();
    if (t.kind !== kind) this.fail(t, `expected ${what}, found ${t.kind === "TERM" ? "newline" : JSON.stringify(t.text)}`);
    return t;
  }

  file(): Stmt[] {
    const body = this.body("EOF");
    this.expect("EOF");
    return body;
  }

  /** The `//` lines directly above `line`. */
  private commentAbove(line: number): string | undefined {
    const out: string[] = [];
    for (let l = line - 1; this.comments.has(l); l--) out.unshift(...(this.comments.get(l) as string[]));
    if (out.length === 0) return undefined;
    return out.map((c) => c.replace(/^\/\/ ?/, "")).join("\n");
  }

  private body(end: "EOF" | "}"): Stmt[] {
    const out: Stmt[] = [];
    while (this.peek().kind === "TERM") this.next();
    while (this.peek().kind !== end) {
      out.push(this.stmt());
      const t = this.peek();
      if (t.kind === "TERM") this.next();
      else if (t.kind !== end) this.fail(t, `expected newline after statement, found ${JSON.stringify(t.text)}`);
    }
    return out;
  }

  private stmt(): Stmt {
    const first = this.expect("IDENT", "identifier");
    if (this.peek().kind === "=") {
      this.next();
      return { kind: "attribute", name: first.text, value: this.expr(), line: first.line };
    }
    const name = [first.text];
    while (this.peek().kind === ".") {
      this.next();
      name.push(this.expect("IDENT", "identifier").text);
    }
    let label: string | undefined;
    if (this.peek().kind === "STRING") label = this.next().value as string;
    this.expect("{", '"{" or "="');
    const body = this.body("}");
    this.expect("}");
    const comment = this.commentAbove(first.line);
    const block: Stmt = { kind: "block", name: name.join("."), body, line: first.line };
    if (label !== undefined) block.label = label;
    if (comment !== undefined) block.comment = comment;
    return block;
  }

  private expr(): Expr {
    const t = this.peek();
    if (t.kind === "-" || t.kind === "!") {
      this.next();
      return { kind: "unary", op: t.kind, value: this.expr() };
    }
    let e = this.primary();
    while (true) {
      const n = this.peek();
      if (n.kind === "." && e.kind === "access") {
        this.next();
        e = { kind: "access", path: [...e.path, this.expect("IDENT", "identifier").text], line: e.line };
      } else if (n.kind === "(") {
        if (e.kind !== "access") this.fail(n, "only identifiers can be called");
        this.next();
        e = { kind: "call", callee: e.path, args: this.list(")", "call arguments"), line: e.line };
      } else if (n.kind === "[") {
        this.next();
        const index = this.expr();
        this.expect("]");
        e = { kind: "index", value: e, index };
      } else return e;
    }
  }

  /** Comma-separated expressions up to `close`; a newline must follow a comma (alloy's rule). */
  private list(close: "]" | ")", what: string): Expr[] {
    const items: Expr[] = [];
    while (this.peek().kind !== close) {
      items.push(this.expr());
      const t = this.peek();
      if (t.kind === ",") this.next();
      else if (t.kind !== close) this.fail(t, `missing ',' in ${what}, found ${t.kind === "TERM" ? "newline" : JSON.stringify(t.text)}`);
    }
    this.expect(close);
    return items;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case "IDENT":
        return { kind: "access", path: [t.text], line: t.line };
      case "STRING":
        return { kind: "string", value: t.value as string };
      case "NUMBER":
      case "FLOAT":
        return { kind: "number", value: Number(t.text) };
      case "BOOL":
        return { kind: "bool", value: t.text === "true" };
      case "NULL":
        return { kind: "null" };
      case "[":
        return { kind: "array", items: this.list("]", "list") };
      case "{": {
        const fields: { key: string; value: Expr }[] = [];
        while (this.peek().kind !== "}") {
          const k = this.next();
          if (k.kind !== "IDENT" && k.kind !== "STRING") this.fail(k, `expected object key, found ${JSON.stringify(k.text)}`);
          this.expect("=");
          fields.push({ key: k.kind === "STRING" ? (k.value as string) : k.text, value: this.expr() });
          const sep = this.peek();
          if (sep.kind === ",") this.next();
          else if (sep.kind !== "}") this.fail(sep, `missing ',' in object, found ${sep.kind === "TERM" ? "newline" : JSON.stringify(sep.text)}`);
        }
        this.expect("}");
        return { kind: "object", fields };
      }
      case "(": {
        const inner = this.expr();
        this.expect(")");
        return inner;
      }
      default:
        return this.fail(t, `expected expression, found ${t.kind === "TERM" ? "newline" : JSON.stringify(t.text)}`);
    }
  }
}

/** Parse an Alloy file; throws AlloyParseError (`line:col: message`). */
export function parseAlloy(src: string): Stmt[] {
  return new Parser(src).file();
}

/** Standard-library names the emitted configs may use. */
const KNOWN_FUNCTIONS = new Set(["sys.env", "string.format", "string.join", "string.trim_space", "coalesce", "array.concat"]);
const KNOWN_CONSTANTS = new Set(["constants.hostname", "constants.os", "constants.arch"]);
const IDENT = /^[\p{L}_][\p{L}_\p{Nd}]*$/u;

/**
 * Well-formedness of an Alloy file: it parses (balanced blocks, valid identifiers and literals), component
 * ids are unique with identifier labels, every reference names an export of a component declared in the
 * same file, and every call is a known standard-library function. Returns the problems (empty when fine).
 */
export function checkWellFormed(src: string): string[] {
  let stmts: Stmt[];
  try {
    stmts = parseAlloy(src);
  } catch (e) {
    return [(e as Error).message];
  }
  const problems: string[] = [];
  const components = new Set<string>();
  for (const s of stmts) {
    if (s.kind === "attribute") {
      problems.push(`${s.line}: attribute ${s.name} at the top level`);
      continue;
    }
    if (s.label === undefined) continue;
    if (!IDENT.test(s.label)) problems.push(`${s.line}: component label ${JSON.stringify(s.label)} is not an identifier`);
    const key = `${s.name}.${s.label}`;
    if (components.has(key)) problems.push(`${s.line}: component ${key} declared twice`);
    components.add(key);
  }
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case "access": {
        const dotted = e.path.join(".");
        if (KNOWN_CONSTANTS.has(dotted)) return;
        const target = [...components].find((k) => dotted.startsWith(`${k}.`));
        if (target === undefined) problems.push(`${e.line}: ${dotted} does not name an export of a declared component`);
        return;
      }
      case "call":
        if (!KNOWN_FUNCTIONS.has(e.callee.join("."))) problems.push(`${e.line}: unknown function ${e.callee.join(".")}`);
        e.args.forEach(visit);
        return;
      case "array":
        e.items.forEach(visit);
        return;
      case "object":
        e.fields.forEach((f) => visit(f.value));
        return;
      case "unary":
        visit(e.value);
        return;
      case "index":
        visit(e.value);
        visit(e.index);
        return;
      case "number":
        if (!Number.isFinite(e.value)) problems.push(`number ${e.value} is not finite`);
        return;
      default:
        return;
    }
  };
  const walk = (body: Stmt[]) => {
    for (const s of body) {
      if (s.kind === "attribute") visit(s.value);
      else walk(s.body);
    }
  };
  walk(stmts);
  return problems;
}
