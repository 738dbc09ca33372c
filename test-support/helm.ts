// Where the tests find Helm: as `pnpm template` does (`findHelm`: $HELM, .tools/bin/helm, where .ci/run installs it,
// then PATH), so a test that needs Helm runs wherever the template command would. Tests only; not part of any package.
import { findHelm } from "@o11y-gitops/template";

/** The Helm binary to run, or why there is none (the template command's own message). */
export function helmForTests(root: string): { helm: string; missing?: undefined } | { helm?: undefined; missing: string } {
  try {
    return { helm: findHelm(root) };
  } catch (e) {
    return { missing: (e as Error).message };
  }
}
