// What the type checker says about our builders on the target's generated types: a scratch copy of the
// workspace packages (node_modules linked, never written), the target charts' `<chart>.gen.ts` replaced by
// codegen's output for the target schemas, then `tsc -b` on it. Errors are listed by repo-relative file:line.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TypeError {
  file: string;
  line: number;
  code: string;
  message: string;
}

/** Parses `tsc --pretty false` output (`file(line,col): error TSnnnn: message`, continuation lines indented). */
export function parseTscOutput(text: string): TypeError[] {
  const out: TypeError[] = [];
  for (const raw of text.split("\n")) {
    const m = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(raw);
    if (m) out.push({ file: (m[1] as string).replace(/\\/g, "/"), line: Number(m[2]), code: m[3] as string, message: m[4] as string });
    else if (/^\s+\S/.test(raw) && out.length > 0) {
      const last = out[out.length - 1] as TypeError;
      last.message += ` ${raw.trim()}`;
    }
  }
  return out;
}

/**
 * Type-checks the builders (generated/ and packages/*) with `genFiles` (file name → content) replacing
 * files in generated/src. Returns the errors; the scratch folder is removed afterwards.
 */
export function typecheckWith(repoRoot: string, genFiles: ReadonlyMap<string, string>): TypeError[] {
  const scratch = mkdtempSync(join(tmpdir(), "o11y-upgrade-tsc-"));
  try {
    const copy = (rel: string) => {
      const from = join(repoRoot, rel);
      if (existsSync(from)) cpSync(from, join(scratch, rel), { recursive: true, verbatimSymlinks: true });
    };
    copy("tsconfig.base.json");
    symlinkSync(join(repoRoot, "node_modules"), join(scratch, "node_modules"), "dir");
    const projects = ["generated", ...readdirSync(join(repoRoot, "packages")).sort().map((p) => `packages/${p}`)];
    for (const p of projects) for (const f of ["package.json", "tsconfig.json", "src", "node_modules"]) copy(`${p}/${f}`);
    for (const [name, text] of genFiles) writeFileSync(join(scratch, "generated/src", name), text);
    writeFileSync(join(scratch, "tsconfig.json"), JSON.stringify({ files: [], references: projects.map((p) => ({ path: p })) }));
    const tsc = join(repoRoot, "node_modules/.bin/tsc");
    let output = "";
    try {
      execFileSync(tsc, ["-b", "tsconfig.json", "--pretty", "false"], { cwd: scratch, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; status?: number };
      output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
      if (!/error TS\d+/.test(output)) throw new Error(`tsc -b in the scratch copy failed without type errors (exit ${String(e.status)}): ${output.trim().slice(0, 500)}`);
    }
    return parseTscOutput(output);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
