import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { exitWhenFlushed, processIO } from "../src/process.js";

const REPO = resolve(import.meta.dirname, "../../..");
const TSX = join(REPO, "node_modules/.bin/tsx");
const PROCESS_TS = pathToFileURL(join(import.meta.dirname, "../src/process.ts")).href;
const scratch = mkdtempSync(join(tmpdir(), "o11y-cli-process-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Run a script (ES module, tsx) that has `exitWhenFlushed` in scope; its status, output and wall time. */
function runScript(name: string, body: string) {
  const file = join(scratch, `${name}.ts`);
  writeFileSync(file, `import { exitWhenFlushed } from ${JSON.stringify(PROCESS_TS)};\n${body}\n`);
  const started = performance.now();
  const r = spawnSync(TSX, [file], { encoding: "utf8", maxBuffer: 16 << 20, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}

describe("processIO", () => {
  it("opens stdin only when a command reads it", () => {
    const real = Object.getOwnPropertyDescriptor(process, "stdin");
    const sentinel = { isTTY: false };
    let reads = 0;
    Object.defineProperty(process, "stdin", {
      configurable: true,
      get: () => {
        reads += 1;
        return sentinel;
      },
    });
    try {
      const io = processIO("/some/where");
      expect([io.cwd, io.env, reads]).toEqual(["/some/where", process.env, 0]);
      expect(io.stdin).toBe(sentinel);
      expect(reads).toBe(1);
      // Other sinks for the output, stdin still opened only when read.
      const lines: string[] = [];
      const collecting = processIO("/else", { stdout: (t) => void lines.push(`out:${t}`), stderr: (t) => void lines.push(`err:${t}`) });
      collecting.stdout("a");
      collecting.stderr("b");
      expect([lines, reads]).toEqual([["out:a", "err:b"], 1]);
    } finally {
      if (real) Object.defineProperty(process, "stdin", real);
    }
  });
});

describe("exitWhenFlushed", () => {
  it.each([
    // [case, script body, status, stdout length, stderr]
    ["large output through pipes, exit code kept", `process.stdout.write("o".repeat(3 << 20)); process.stderr.write("e".repeat(70_000)); exitWhenFlushed(3);`, 3, 3 << 20, "e".repeat(70_000)],
    ["exit handlers still run", `process.on("exit", (c) => process.stderr.write("exit " + c)); exitWhenFlushed(1);`, 1, 0, "exit 1"],
    ["a ref'd timer does not hold the process", `setTimeout(() => process.stderr.write("timer ran"), 20_000); exitWhenFlushed(0);`, 0, 0, ""],
  ])("%s", (name, body, status, stdoutLength, stderr) => {
    const r = runScript(name.replaceAll(/\W+/g, "-"), body);
    expect([r.status, r.stdout.length, r.stderr]).toEqual([status, stdoutLength, stderr]);
    expect(r.ms).toBeLessThan(15_000);
  });

  it("a reader that stops early (| head) ends it with its code, without an EPIPE stack", () => {
    const file = join(scratch, "epipe.ts");
    // Far more than a pipe holds, so the writes outlast head and one of them meets the closed pipe.
    writeFileSync(file, `import { exitWhenFlushed } from ${JSON.stringify(PROCESS_TS)};\nfor (let i = 0; i < 200_000; i++) process.stdout.write(\`line \${i}\\n\`);\nexitWhenFlushed(3);\n`);
    const r = spawnSync("bash", ["-c", `"$0" "$1" | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}"`, TSX, file], { encoding: "utf8", timeout: 30_000 });
    expect([r.stdout, r.stderr]).toEqual(["status 3\n", ""]);
  });

  it("sets process.exitCode before it ends the process", () => {
    // In this process only the exit code is observable: process.exit is replaced for the call.
    const exit = process.exit;
    const saved = process.exitCode;
    const calls: (number | string | null | undefined)[] = [];
    return new Promise<void>((done, fail) => {
      process.exit = ((code?: number | string | null) => {
        calls.push(code);
        process.exit = exit;
        try {
          expect([process.exitCode, calls]).toEqual([4, [4]]);
          done();
        } catch (e) {
          fail(e);
        } finally {
          process.exitCode = saved;
        }
      }) as typeof process.exit;
      exitWhenFlushed(4);
      expect(process.exitCode).toBe(4);
    });
  });
});
