import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { durationToHours, parseDuration } from "../src/index.js";

describe("parseDuration", () => {
  it.each([
    ["30s", 30],
    ["40h", 144_000],
    ["7d", 604_800],
    ["2w", 1_209_600],
    ["0s", 0],
  ])("%s → %d s", (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it.each(["7 days", "1h30m", "7D", "-1d", "", "d", "07d", "1.5h", " 7d"])("rejects %j", (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it("hours", () => expect(durationToHours("30d")).toBe(720));

  it("round-trips any integer and unit", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom("s", "m", "h", "d", "w"), (n, unit) => {
        const mult = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[unit];
        expect(parseDuration(`${n}${unit}`)).toBe(n * mult);
      }),
    );
  });
});
