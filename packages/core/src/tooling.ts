/**
 * How the user runs the tool: named in file headers, messages and secret placeholders, so a repository's
 * files and messages say what to type there (`o11y-gitops generate --config clusters/a/stack.config.ts`, or
 * a repo's own `pnpm generate`), never another repository's commands.
 */
export interface Tooling {
  /** The generate command as the user types it, e.g. `o11y-gitops generate` (file headers). */
  generate: string;
  /** The full command that re-renders this tree, options included (hints in messages). @default generate */
  rerun?: string;
  /** The secrets command, e.g. `o11y-gitops secrets` (placeholders, messages). */
  secrets: string;
  /** The stack config file as the user names it, e.g. `stack.config.ts` (file headers). */
  config: string;
}

/** What a repo that installed the CLI types: `o11y-gitops generate` on `./stack.config.ts`. */
export const DEFAULT_TOOLING: Tooling = { generate: "o11y-gitops generate", secrets: "o11y-gitops secrets", config: "stack.config.ts" };

/** The command that re-renders the tree (`rerun`, else `generate`). */
export function rerunCommand(t: Tooling): string {
  return t.rerun ?? t.generate;
}
