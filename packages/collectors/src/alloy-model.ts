// A typed model of Alloy configuration syntax (https://grafana.com/docs/alloy/latest/get-started/configuration-syntax/).
// Components build these values; only `emitAlloy` turns them into text.

/** An Alloy expression: a literal, a list, an object, a reference to a component export, or a call. */
export type AlloyValue =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "list"; readonly items: readonly AlloyValue[] }
  | { readonly kind: "object"; readonly fields: readonly AlloyField[] }
  | AlloyRef
  | { readonly kind: "call"; readonly fn: string; readonly args: readonly AlloyValue[] }
  | { readonly kind: "stdlib"; readonly name: string };

/** One `key = value` entry of an object literal; keys that are not identifiers are emitted quoted. */
export interface AlloyField {
  readonly key: string;
  readonly value: AlloyValue;
}

/** Names a component instance: `<name> "<label>"`, e.g. `loki.write "default"`. */
export interface AlloyComponentId {
  /** Dotted component name, e.g. `otelcol.exporter.otlp`. */
  readonly name: string;
  /** Instance label; must be an identifier because references spell it bare. */
  readonly label: string;
}

/** A reference to a component's export, e.g. `otelcol.exporter.otlp.tempo.input`. */
export interface AlloyRef {
  readonly kind: "ref";
  readonly component: AlloyComponentId;
  /** Export path after the label, e.g. `["input"]`. */
  readonly export: readonly string[];
}

/** `name = value` inside a block. */
export interface AlloyAttribute {
  readonly kind: "attribute";
  readonly name: string;
  readonly value: AlloyValue;
}

/** `name "label" { ... }` (the label is optional for nested blocks). */
export interface AlloyBlock {
  readonly kind: "block";
  /** Dotted block name, e.g. `loki.write` or `endpoint`. */
  readonly name: string;
  readonly label?: string;
  readonly body: readonly AlloyStatement[];
  /** A `//` comment emitted above the block (one line per `\n`-separated line). */
  readonly comment?: string;
}

/** A top-level block with a label: a component instance other components can reference. */
export interface AlloyComponentBlock extends AlloyBlock {
  readonly label: string;
}

/** Anything inside a block body: an attribute (`key = value`) or a nested block. */
export type AlloyStatement = AlloyAttribute | AlloyBlock;

/** A whole Alloy file: top-level blocks in order. */
export interface AlloyConfig {
  readonly blocks: readonly AlloyBlock[];
}

/** What builders accept where a value goes: JS primitives and arrays are wrapped, model values pass through. */
export type AlloyInput = string | number | boolean | null | AlloyValue | readonly AlloyInput[];

/** Wrap a JS primitive or array as an AlloyValue (objects must be built with `obj`). */
export function toValue(input: AlloyInput): AlloyValue {
  if (input === null) return { kind: "null" };
  if (typeof input === "string") return { kind: "string", value: input };
  if (typeof input === "number") return { kind: "number", value: input };
  if (typeof input === "boolean") return { kind: "bool", value: input };
  if (Array.isArray(input)) return { kind: "list", items: (input as readonly AlloyInput[]).map(toValue) };
  return input as AlloyValue;
}

/** Builders for the Alloy model. Components use these; none of them produce text. */
export const alloyConfig = {
  /** A whole file. */
  file(...blocks: readonly AlloyBlock[]): AlloyConfig {
    return { blocks };
  },
  /** A component instance (top-level labelled block) that `ref` can point at. */
  component(name: string, label: string, body: readonly AlloyStatement[], comment?: string): AlloyComponentBlock {
    return comment === undefined ? { kind: "block", name, label, body } : { kind: "block", name, label, body, comment };
  },
  /** A nested (or unlabelled top-level) block, e.g. `endpoint { ... }`. */
  block(name: string, body: readonly AlloyStatement[]): AlloyBlock {
    return { kind: "block", name, body };
  },
  /** `name = value`. */
  attr(name: string, value: AlloyInput): AlloyAttribute {
    return { kind: "attribute", name, value: toValue(value) };
  },
  str(value: string): AlloyValue {
    return { kind: "string", value };
  },
  num(value: number): AlloyValue {
    return { kind: "number", value };
  },
  bool(value: boolean): AlloyValue {
    return { kind: "bool", value };
  },
  null(): AlloyValue {
    return { kind: "null" };
  },
  list(...items: readonly AlloyInput[]): AlloyValue {
    return { kind: "list", items: items.map(toValue) };
  },
  /** An object literal; a record keeps its insertion order (integer-like keys excepted, as in JS). */
  obj(fields: Readonly<Record<string, AlloyInput>> | readonly (readonly [string, AlloyInput])[]): AlloyValue {
    const entries = Array.isArray(fields) ? (fields as readonly (readonly [string, AlloyInput])[]) : Object.entries(fields);
    return { kind: "object", fields: entries.map(([key, v]) => ({ key, value: toValue(v) })) };
  },
  /** A reference to an export of a declared component, e.g. `ref(batch, "input")`. */
  ref(component: AlloyComponentBlock, ...exportPath: readonly [string, ...string[]]): AlloyRef {
    return { kind: "ref", component: { name: component.name, label: component.label }, export: exportPath };
  },
  /** A standard-library function call, e.g. `call("sys.env", "VAR")`. */
  call(fn: string, ...args: readonly AlloyInput[]): AlloyValue {
    return { kind: "call", fn, args: args.map(toValue) };
  },
  /** `sys.env("NAME")`: a value read from the environment at run time. */
  env(name: string): AlloyValue {
    return { kind: "call", fn: "sys.env", args: [{ kind: "string", value: name }] };
  },
  /** A standard-library constant, e.g. `constants.hostname`. */
  stdlib(name: string): AlloyValue {
    return { kind: "stdlib", name };
  },
} as const;
