import { resolve, sep } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byCodeUnits, isInsideRoot } from "../src/fileset.js";

describe("isInsideRoot", () => {
  it.each([
    ["kubernetes/apps/x.yaml", true],
    [".sops.yaml", true],
    ["docker/stacks/shared/alloy/.sops.env", true],
    ["a..b/..c", true],
    ["../x", false],
    ["a/../b", false],
    ["a/..", false],
    ["..", false],
    ["./a", false],
    ["a/./b", false],
    ["/etc/passwd", false],
    ["a//b", false],
    ["a/", false],
    ["", false],
    ["a\\b", false],
    ["..\\x", false],
    ["a\0b", false],
  ])("%j → %s", (path, want) => expect(isInsideRoot(path)).toBe(want));

  it("property: an accepted path resolves strictly inside any root", () => {
    const root = resolve("/srv/out");
    const segment = fc.oneof(fc.constantFrom("..", ".", "", "a", "\\", "b.c"), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segs) => {
        const path = segs.join("/");
        if (isInsideRoot(path)) expect(resolve(root, path).startsWith(`${root}${sep}`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("byCodeUnits", () => {
  it("orders by UTF-16 code units, not by locale", () => {
    expect(["b", "a", "B", "ä", "a-b", "ab", "A"].sort(byCodeUnits)).toEqual(["A", "B", "a", "a-b", "ab", "b", "ä"]);
  });

  it("property: agrees with the default sort, and equal only for equal strings", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" })), (xs) => {
        expect([...xs].sort(byCodeUnits)).toEqual([...xs].sort());
      }),
    );
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => (byCodeUnits(a, b) === 0) === (a === b)));
  });
});
