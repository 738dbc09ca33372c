// The generate bundler (scripts/generate/bundle.mjs): comments made ASCII without changing any code.
import { spawnSync } from "node:child_process";
import { isAscii } from "node:buffer";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

type Bundler = { asciiComments: (text: string) => string; bundleGenerate: (entry: string, outfile: string) => Promise<string> };
const load = async () => (await import(String(new URL("../generate/bundle.mjs", import.meta.url)))) as Bundler;

describe("asciiComments", () => {
  it.each<[string, string]>([
    ["  // a \u2192 b \u2026\nconst x = 1;\n", "  // a \\u{2192} b \\u{2026}\nconst x = 1;\n"],
    ["// \u{1F600} astral\n", "// \\u{1f600} astral\n"],
    ["const s = '\u2192'; // \u2192 after code\n", "const s = '\u2192'; // \u2192 after code\n"],
    ["/* \u2192 */\n", "/* \u2192 */\n"],
    ["// plain ASCII\n", "// plain ASCII\n"],
  ])("%j", async (text, expected) => {
    expect((await load()).asciiComments(text)).toBe(expected);
  });
});

describe("bundleGenerate", () => {
  const dir = mkdtempSync(join(tmpdir(), "o11y-bundle-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = async (source: string) => {
    const entry = join(dir, "entry.mjs");
    writeFileSync(entry, source);
    const text = await (await load()).bundleGenerate(entry, join(dir, "out.cjs"));
    writeFileSync(join(dir, "out.cjs"), text);
    const run = spawnSync(process.execPath, [join(dir, "out.cjs")], { encoding: "utf8" });
    return { text, stdout: run.stdout };
  };

  it("a bundle whose only non-ASCII is in line comments comes out ASCII, and runs the same", async () => {
    const { text, stdout } = await bundle('const x = {\n  // trace \u2192 logs \u2026\n  a: "\u2192",\n};\nconsole.log(JSON.stringify(x));\n');
    expect(isAscii(Buffer.from(text))).toBe(true);
    expect(stdout).toBe('{"a":"\u2192"}\n');
  });

  it("a raw template line that only looks like a comment is left as it was", async () => {
    const { text, stdout } = await bundle("const t = String.raw`x\n// \u2192 kept`;\nconsole.log(JSON.stringify(t));\n");
    expect(text).toContain("// \u2192 kept");
    expect(stdout).toBe('"x\\n// \u2192 kept"\n');
  });
});
