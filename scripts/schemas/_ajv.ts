// The one ajv configuration used by update-schemas (early checks), the upgrade report and the tests (the
// reference the chart validator, @o11y-gitops/schema-errors' schemaValidator, is held equal to).
import { Ajv, type Options } from "ajv";
import addFormatsModule from "ajv-formats";

export function usesFormat(s: unknown): boolean {
  if (Array.isArray(s)) return s.some(usesFormat);
  if (s === null || typeof s !== "object") return false;
  return Object.entries(s).some(([k, v]) => (k === "format" && typeof v === "string") || usesFormat(v));
}

/**
 * Strict, all errors, union types allowed, `tsType` (json-schema-to-typescript's keyword) as a no-op annotation.
 * `strictRequired` is off: a conditional (`if`/`then`) branch legitimately requires properties its parent defines.
 * `compileChecks` relaxes the compile-time checks only (e.g. `strictTypes` for random test schemas), never
 * how data is validated.
 */
export function newAjv(withFormats: boolean, compileChecks: Pick<Options, "strictTypes" | "strictTuples"> = {}): Ajv {
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true, code: { source: true, esm: false, lines: false }, ...compileChecks });
  ajv.addKeyword({ keyword: "tsType", schemaType: "string" });
  if (withFormats) addFormatsModule.default(ajv);
  return ajv;
}
