import { describe, expect, it } from "vitest";
import { BoundedMap } from "../src/bounded-map.js";

describe("BoundedMap", () => {
  it.each<[string, (m: BoundedMap<string, number>) => void, [string, number][]]>([
    ["below the limit, everything is kept", (m) => m.set("a", 1).set("b", 2), [["a", 1], ["b", 2]]],
    ["a new key when full drops the oldest", (m) => m.set("a", 1).set("b", 2).set("c", 3).set("d", 4), [["b", 2], ["c", 3], ["d", 4]]],
    ["setting a key it holds drops nothing", (m) => m.set("a", 1).set("b", 2).set("c", 3).set("a", 9), [["a", 9], ["b", 2], ["c", 3]]],
    ["a deleted key frees its place", (m) => { m.set("a", 1).set("b", 2).set("c", 3).delete("b"); m.set("d", 4); }, [["a", 1], ["c", 3], ["d", 4]]],
  ])("%s", (_what, fill, want) => {
    const m = new BoundedMap<string, number>(3);
    fill(m);
    expect([...m]).toEqual(want);
  });
});
