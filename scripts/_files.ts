// Small file-system helpers shared by the scripts and their tests.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Every file below `dir` (folders descended, not listed), as paths joined onto `dir`, sorted. */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}
