// vitest setup: `FC_SEED=<int> pnpm exec vitest run` runs every fast-check property with that seed (and
// `FC_NUM_RUNS=<n>` with that many runs), so the property tests can be tried under several seeds; without
// them fast-check picks a random seed and prints it with any counterexample.
import fc from "fast-check";

const seed = process.env["FC_SEED"];
const numRuns = process.env["FC_NUM_RUNS"];
if (seed !== undefined && seed !== "") {
  if (!/^-?\d+$/.test(seed)) throw new Error(`FC_SEED must be an integer, found ${JSON.stringify(seed)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(seed) });
}
if (numRuns !== undefined && numRuns !== "") {
  if (!/^\d+$/.test(numRuns)) throw new Error(`FC_NUM_RUNS must be a positive integer, found ${JSON.stringify(numRuns)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), numRuns: Number(numRuns) });
}
