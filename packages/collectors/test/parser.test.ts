import { describe, expect, it } from "vitest";
import { checkWellFormed, parseAlloy } from "./_alloy-parser.js";

// The test parser is the judge of well-formedness, so it must reject what Alloy rejects.
describe("test parser: rejects malformed Alloy", () => {
  it.each<[string, string, string]>([
    ["unbalanced block", 'a "x" {\n\tb = 1\n', '3:1: expected identifier, found ""'],
    ["extra closing brace", 'a "x" { }\n}\n', '2:1: expected identifier, found "}"'],
    ["attribute without value", 'a "x" {\n\tb =\n}\n', '3:1: expected expression, found "}"'],
    ["two statements on a line", 'a "x" {\n\tb = 1 c = 2\n}\n', '2:8: expected newline after statement, found "c"'],
    ["list missing trailing comma before newline", 'a "x" {\n\tb = [\n\t\t1\n\t]\n}\n', "3:4: missing ',' in list, found newline"],
    ["object missing trailing comma before newline", 'a "x" {\n\tb = {\n\t\tk = 1\n\t}\n}\n', "3:8: missing ',' in object, found newline"],
    ["unterminated string", 'a "x" {\n\tb = "abc\n}\n', "2:6: string literal not terminated"],
    ["unknown escape", 'a "x" {\n\tb = "\\q"\n}\n', "2:6: unknown escape sequence \\q"],
    ["surrogate escape", 'a "x" {\n\tb = "\\ud800"\n}\n', "2:6: escape sequence is invalid Unicode code point"],
    ["invalid UTF-8 from byte escapes", 'a "x" {\n\tb = "\\xff"\n}\n', "2:6: string is not valid UTF-8"],
    ["single-quoted string", "a \"x\" {\n\tb = 'c'\n}\n", `2:6: illegal character "'"`],
    ["identifier starting with a digit", 'a "x" {\n\t1b = 1\n}\n', '2:2: expected identifier, found "1"'],
    ["dotted attribute name", 'a "x" {\n\tb.c = 1\n}\n', '2:6: expected "{" or "=", found "="'],
    ["exponent without digits", 'a "x" {\n\tb = 1e\n}\n', "2:6: exponent has no digits"],
    ["NUL character", 'a "x" {\n\tb = 1\u0000\n}\n', "2:7: illegal character NUL"],
  ])("%s", (_name, src, message) => {
    expect(() => parseAlloy(src)).toThrow(message);
    expect(checkWellFormed(src)).toEqual([message]);
  });

  it.each<[string, string, string[]]>([
    ["reference to an undeclared component", 'a "x" {\n\tf = [loki.write.w.receiver]\n}\n', ["2: loki.write.w.receiver does not name an export of a declared component"]],
    ["reference with no export", 'loki.write "w" { }\n\na "x" {\n\tf = loki.write.w\n}\n', ["4: loki.write.w does not name an export of a declared component"]],
    ["unknown function", 'a "x" {\n\tf = sys.envv("X")\n}\n', ["2: unknown function sys.envv"]],
    ["duplicate component", 'a "x" { }\n\na "x" { }\n', ['3: component a.x declared twice']],
    ["label not an identifier", 'a "x-y" { }\n', ['1: component label "x-y" is not an identifier']],
    ["top-level attribute", "a = 1\n", ["1: attribute a at the top level"]],
  ])("%s", (_name, src, problems) => {
    expect(checkWellFormed(src)).toEqual(problems);
  });

  it.each<[string, string]>([
    ["trailing commas and nesting", 'a "x" {\n\tb = [{\n\t\tk = 1,\n\t}, 2]\n\tc = {"q" = -1.5e3, r = null}\n}\n'],
    ["raw string and escapes", 'a "x" {\n\tb = `raw\\n`\n\tc = "\\101\\x41\\u0041\\U00000041\\\'"\n}\n'],
    ["comments", '// head\na "x" { // tail\n\t/* block */ b = 1\n}\n'],
    ["references and constants", 'loki.write "w" { }\n\na "x" {\n\tf = [loki.write.w.receiver]\n\th = constants.hostname\n}\n'],
  ])("accepts %s", (_name, src) => {
    expect(checkWellFormed(src)).toEqual([]);
  });

  it("decodes escapes like Go", () => {
    const [block] = parseAlloy('a "x" {\n\tc = "\\101\\x41\\u0041\\U0001F600\\\'\\a"\n}\n');
    const attr = block?.kind === "block" ? block.body[0] : undefined;
    expect(attr?.kind === "attribute" && attr.value.kind === "string" ? attr.value.value : undefined).toBe("AAA😀'\u0007");
  });
});
