// The one place Alloy text is printed. Formatting follows `alloy fmt` (syntax/printer in grafana/alloy):
// - one tab per nesting level;
// - a blank line before every block that is not the first statement of its body;
// - `=` aligned (spaces, elastic-tabstop style) across runs of consecutive single-line attributes or object
//   fields at the same level; a multi-line value ends its run, and its opening line still aligns with the run
//   above it;
// - objects always one field per line with a trailing comma; lists inline when every item fits on one line,
//   otherwise one item per line with a trailing comma;
// - strings quoted like Go's strconv.Quote (which is what Alloy's own token builder uses);
// - the file ends with a newline.
import type { Problem } from "@o11y-gitops/core";
import type { AlloyBlock, AlloyComponentId, AlloyConfig, AlloyStatement, AlloyValue } from "./alloy-model.js";

/** Options for `emitAlloy`. */
export interface EmitAlloyOptions {
  /**
   * The text will pass through Helm's `tpl` (the alloy chart's `alloy.configMap.content` does): never emit
   * `{{`. A `{` followed by `{` inside a string is written `\x7b`; a comment containing `{{` is an error.
   * @default false
   */
  helmTpl?: boolean;
}

/** Alloy identifiers: a Unicode letter or `_`, then letters, `_` or decimal digits; not a keyword. */
const IDENT = /^[\p{L}_][\p{L}_\p{Nd}]*$/u;
const KEYWORDS = new Set(["true", "false", "null"]);

/** True when `s` can be written bare as an Alloy identifier. */
export function isAlloyIdentifier(s: string): boolean {
  return IDENT.test(s) && !KEYWORDS.has(s);
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
/** Printable ASCII: quoteAlloyString writes it unchanged except `"` (0x22) and `\\` (0x5c), which it escapes. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const QUOTE_OR_BACKSLASH = /["\\]/g;
const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  0x07: "\\a", 0x08: "\\b", 0x0c: "\\f", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x0b: "\\v",
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/**
 * Quote `s` as an Alloy string literal (Go `strconv.Quote` rules): `\\` and `\"` escaped; the named escapes
 * `\a \b \f \n \r \t \v`; other ASCII control characters as `\xHH`; other non-printable code points as
 * `\uHHHH` / `\UHHHHHHHH`; printable Unicode kept as is. Throws on a lone UTF-16 surrogate, which has no
 * UTF-8 encoding and so cannot be part of an Alloy file.
 */
export function quoteAlloyString(s: string, options: EmitAlloyOptions = {}): string {
  // Printable ASCII other than `"` and `\\` is kept as is (every such character is a letter, digit, punctuation
  // or symbol): such a string, without `{{` where Helm's tpl reads it, is its own body with those two escaped.
  if (PRINTABLE_ASCII.test(s) && !(options.helmTpl === true && s.includes("{{"))) return `"${s.replace(QUOTE_OR_BACKSLASH, "\\$&")}"`;
  let out = '"';
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      throw new Error(`string ${JSON.stringify(s)} contains a lone surrogate U+${hex(cp, 4).toUpperCase()}, which UTF-8 cannot encode`);
    }
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "{" && options.helmTpl === true && chars[i + 1] === "{") out += "\\x7b";
    else if (PRINTABLE.test(ch)) out += ch;
    else if (NAMED_ESCAPES[cp] !== undefined) out += NAMED_ESCAPES[cp];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/** Alloy number literal for a finite JS number (unsafe integers use exponent form so Alloy reads a float). */
function numberLiteral(n: number): string {
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return n.toExponential();
  return Object.is(n, -0) ? "0" : String(n);
}

function componentKey(id: AlloyComponentId): string {
  return `${id.name}.${id.label}`;
}

function refText(v: { component: AlloyComponentId; export: readonly string[] }): string {
  return [componentKey(v.component), ...v.export].join(".");
}

function blockTitle(b: AlloyBlock): string {
  return b.label === undefined ? b.name : `${b.name} ${JSON.stringify(b.label)}`;
}

/** A reference from one component's argument to another component's export. */
export interface AlloyReference {
  /** The component whose body holds the reference. */
  from: AlloyComponentId;
  /** Where in that body, e.g. `output.traces[0]` or `forward_to[0]`. */
  at: string;
  to: AlloyComponentId;
  export: readonly string[];
}

function walkValue(v: AlloyValue, at: string, visit: (v: AlloyValue, at: string) => void): void {
  visit(v, at);
  if (v.kind === "list") v.items.forEach((item, i) => walkValue(item, `${at}[${i}]`, visit));
  else if (v.kind === "object") for (const f of v.fields) walkValue(f.value, `${at}.${f.key}`, visit);
  else if (v.kind === "call") v.args.forEach((a, i) => walkValue(a, `${at}(${i})`, visit));
}

function walkBody(body: readonly AlloyStatement[], prefix: string, onValue: (v: AlloyValue, at: string) => void): void {
  for (const s of body) {
    const at = prefix === "" ? s.name : `${prefix}.${s.name}`;
    if (s.kind === "attribute") walkValue(s.value, at, onValue);
    else walkBody(s.body, at, onValue);
  }
}

/** Every component-to-component reference in `config`, in file order (walks the model, not text). */
export function alloyReferences(config: AlloyConfig): AlloyReference[] {
  const out: AlloyReference[] = [];
  for (const b of config.blocks) {
    if (b.label === undefined) continue;
    const from = { name: b.name, label: b.label };
    walkBody(b.body, "", (v, at) => {
      if (v.kind === "ref") out.push({ from, at, to: v.component, export: v.export });
    });
  }
  return out;
}

/**
 * Structural checks on a model before printing: identifiers, unique component ids, references only to
 * components declared in the same config, finite numbers, representable strings and comments. Each problem's
 * path names the top-level block and the place inside it.
 */
export function checkAlloy(config: AlloyConfig, options: EmitAlloyOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const declared = new Set<string>();
  for (const b of config.blocks) {
    if (b.label === undefined) continue;
    const key = componentKey({ name: b.name, label: b.label });
    if (declared.has(key)) add(`alloy ${blockTitle(b)}`, `component ${blockTitle(b)} is declared twice`);
    declared.add(key);
  }
  const dotted = (name: string, path: string, what: string) => {
    if (!name.split(".").every(isAlloyIdentifier)) add(path, `${what} ${JSON.stringify(name)} is not a dotted list of identifiers`);
  };
  const representable = (s: string, path: string) => {
    try {
      quoteAlloyString(s);
    } catch (e) {
      add(path, (e as Error).message);
    }
  };
  const value = (v: AlloyValue, path: string): void => {
    switch (v.kind) {
      case "number":
        if (!Number.isFinite(v.value)) add(path, `${v.value} is not a finite number`);
        return;
      case "string":
        representable(v.value, path);
        return;
      case "list":
        v.items.forEach((item, i) => value(item, `${path}[${i}]`));
        return;
      case "object": {
        const seen = new Set<string>();
        for (const f of v.fields) {
          representable(f.key, path);
          if (seen.has(f.key)) add(path, `object key ${JSON.stringify(f.key)} appears twice`);
          seen.add(f.key);
          value(f.value, `${path}.${f.key}`);
        }
        return;
      }
      case "ref":
        if (!v.export.every(isAlloyIdentifier) || v.export.length === 0) add(path, `export path ${JSON.stringify(v.export.join("."))} is not a dotted list of identifiers`);
        if (!declared.has(componentKey(v.component))) {
          add(path, `references ${refText(v)} but ${v.component.name} ${JSON.stringify(v.component.label)} is not declared in this config`);
        }
        return;
      case "call":
        dotted(v.fn, path, "function");
        v.args.forEach((a, i) => value(a, `${path}(${i})`));
        return;
      case "stdlib":
        dotted(v.name, path, "identifier");
        return;
      case "bool":
      case "null":
        return;
    }
  };
  const block = (b: AlloyBlock, path: string, topLevel: boolean): void => {
    dotted(b.name, path, "block name");
    if (b.label !== undefined) {
      if (topLevel && !isAlloyIdentifier(b.label)) add(path, `component label ${JSON.stringify(b.label)} is not an identifier`);
      representable(b.label, path);
    }
    if (b.comment !== undefined) {
      representable(b.comment, path);
      if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(b.comment)) add(path, "comment contains a control character other than tab or newline");
      if (options.helmTpl === true && b.comment.includes("{{")) add(path, 'comment contains "{{", which Helm\'s tpl would evaluate');
    }
    for (const s of b.body) {
      const at = `${path}${topLevel ? ": " : "."}${s.name}`;
      if (s.kind === "block") block(s, at, false);
      else {
        if (!isAlloyIdentifier(s.name)) add(at, `attribute name ${JSON.stringify(s.name)} is not an identifier`);
        value(s.value, at);
      }
    }
  };
  for (const b of config.blocks) block(b, `alloy ${blockTitle(b)}`, true);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Printing

interface Line {
  indent: number;
  /** Left of the aligned `=`; absent for lines that take no part in alignment. */
  key?: string;
  text: string;
  /** A run of aligned lines ends after this line (alloy fmt's formfeed). */
  breakAfter: boolean;
}

/** A rendered value: text continuing the current line, then whole lines (for multi-line values). */
interface Rendered {
  head: string;
  tail: Line[];
}

function appendToLast(r: Rendered, suffix: string): Rendered {
  if (r.tail.length === 0) return { head: r.head + suffix, tail: [] };
  const last = r.tail[r.tail.length - 1] as Line;
  return { head: r.head, tail: [...r.tail.slice(0, -1), { ...last, text: last.text + suffix }] };
}

/** Concatenate rendered pieces inline (call arguments, inline lists). */
function joinInline(pieces: readonly Rendered[], sep: string, open: string, close: string): Rendered {
  let acc: Rendered = { head: open, tail: [] };
  pieces.forEach((p, i) => {
    acc = appendToLast(acc, i === 0 ? "" : sep);
    if (acc.tail.length === 0) acc = { head: acc.head + p.head, tail: p.tail };
    else {
      const withHead = appendToLast(acc, p.head);
      acc = { head: withHead.head, tail: [...withHead.tail, ...p.tail] };
    }
  });
  return appendToLast(acc, close);
}

function renderValue(v: AlloyValue, indent: number, o: EmitAlloyOptions): Rendered {
  switch (v.kind) {
    case "string":
      return { head: quoteAlloyString(v.value, o), tail: [] };
    case "number":
      return { head: numberLiteral(v.value), tail: [] };
    case "bool":
      return { head: String(v.value), tail: [] };
    case "null":
      return { head: "null", tail: [] };
    case "ref":
      return { head: refText(v), tail: [] };
    case "stdlib":
      return { head: v.name, tail: [] };
    case "call":
      return joinInline(v.args.map((a) => renderValue(a, indent, o)), ", ", `${v.fn}(`, ")");
    case "list": {
      const inline = v.items.map((item) => renderValue(item, indent, o));
      if (inline.every((r) => r.tail.length === 0)) return joinInline(inline, ", ", "[", "]");
      const tail: Line[] = [];
      for (const item of v.items) {
        const r = appendToLast(renderValue(item, indent + 1, o), ",");
        tail.push({ indent: indent + 1, text: r.head, breakAfter: true }, ...r.tail);
      }
      tail.push({ indent, text: "]", breakAfter: true });
      return { head: "[", tail };
    }
    case "object": {
      if (v.fields.length === 0) return { head: "{}", tail: [] };
      const tail: Line[] = [];
      for (const f of v.fields) {
        const r = appendToLast(renderValue(f.value, indent + 1, o), ",");
        const key = isAlloyIdentifier(f.key) ? f.key : quoteAlloyString(f.key, o);
        tail.push({ indent: indent + 1, key, text: `= ${r.head}`, breakAfter: r.tail.length > 0 }, ...r.tail);
      }
      tail.push({ indent, text: "}", breakAfter: true });
      return { head: "{", tail };
    }
  }
}

function renderBody(body: readonly AlloyStatement[], indent: number, o: EmitAlloyOptions, lines: Line[]): void {
  body.forEach((s, i) => {
    if (s.kind === "attribute") {
      const r = renderValue(s.value, indent, o);
      lines.push({ indent, key: s.name, text: `= ${r.head}`, breakAfter: r.tail.length > 0 }, ...r.tail);
      return;
    }
    if (i > 0) lines.push({ indent: 0, text: "", breakAfter: true });
    for (const c of s.comment?.split("\n") ?? []) lines.push({ indent, text: c === "" ? "//" : `// ${c}`, breakAfter: true });
    const title = s.label === undefined ? s.name : `${s.name} ${quoteAlloyString(s.label, o)}`;
    if (s.body.length === 0) {
      lines.push({ indent, text: `${title} { }`, breakAfter: true });
      return;
    }
    lines.push({ indent, text: `${title} {`, breakAfter: true });
    renderBody(s.body, indent + 1, o, lines);
    lines.push({ indent, text: "}", breakAfter: true });
  });
}

/** Pad keys so `=` lines up across each run (consecutive keyed lines, same indent, no break between). */
function align(lines: readonly Line[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i] as Line;
    if (first.key === undefined) {
      out.push(first.text === "" ? "" : "\t".repeat(first.indent) + first.text);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < lines.length) {
      const prev = lines[j - 1] as Line;
      const cur = lines[j] as Line;
      if (prev.breakAfter || cur.key === undefined || cur.indent !== first.indent) break;
      j++;
    }
    const run = lines.slice(i, j);
    const width = Math.max(...run.map((l) => [...(l.key as string)].length));
    for (const l of run) {
      const key = l.key as string;
      out.push(`${"\t".repeat(l.indent)}${key}${" ".repeat(width - [...key].length + 1)}${l.text}`);
    }
    i = j;
  }
  return out;
}

/**
 * Print an Alloy config in `alloy fmt` style. Throws an Error listing every problem `checkAlloy` finds
 * (one per line) instead of printing an invalid file.
 */
export function emitAlloy(config: AlloyConfig, options: EmitAlloyOptions = {}): string {
  const problems = checkAlloy(config, options);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  const lines: Line[] = [];
  renderBody(config.blocks, 0, options, lines);
  return `${align(lines).join("\n")}\n`;
}
