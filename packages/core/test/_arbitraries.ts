import fc from "fast-check";

/**
 * JSON-like values (nested maps and arrays of up to 5 entries, small depth) over the given strings (values
 * and keys) and numbers. `emptyCollections` adds `[]` and `{}` as values of their own, to hit them often.
 */
export function jsonArbitrary(strings: fc.Arbitrary<string>, numbers: fc.Arbitrary<number>, options: { emptyCollections?: boolean } = {}): fc.Arbitrary<unknown> {
  const { json } = fc.letrec((tie) => ({
    json: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      strings,
      numbers,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("json"), { maxLength: 5 }),
      fc.dictionary(strings, tie("json"), { maxKeys: 5 }),
      ...(options.emptyCollections ? [fc.constant([]), fc.constant({})] : []),
    ),
  }));
  return json;
}
