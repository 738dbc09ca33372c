#!/usr/bin/env node
// The `o11y-gitops` command: see cli.ts for the commands and exit codes.
import { main } from "./cli.js";

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
});
