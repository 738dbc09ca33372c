#!/usr/bin/env node
// The `o11y-gitops` command: see cli.ts for the commands and exit codes.
import { main } from "./cli.js";
import { exitWhenFlushed, processIO } from "./process.js";

exitWhenFlushed(await main(process.argv.slice(2), processIO()));
