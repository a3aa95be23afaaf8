/**
 * Which version of a standard is in force on a date. This is the one place that decides it:
 * the engine, every service, page and export call `versionInForce`, so the standard's page, the
 * list, the compliance page and the PDF cannot name different versions
 * (docs/decisions/056-standard-lifecycle.md).
 */
import type { IsoDate } from "./common.ts";
import type { StandardDocument } from "./standard.ts";

/** The fields that decide whether a version is in force. */
export type InForceFields = Pick<
  StandardDocument,
  "version" | "draft" | "effectiveFrom" | "effectiveTo"
>;

/**
 * True when the version's effective range holds `asOf` (both ends inclusive). A draft (a
 * proposal, `draft: true`) is never in force.
 */
export function isInForce(standard: InForceFields, asOf: IsoDate): boolean {
  return (
    !standard.draft &&
    standard.effectiveFrom !== null &&
    standard.effectiveFrom <= asOf &&
    (standard.effectiveTo === null || asOf <= standard.effectiveTo)
  );
}

/**
 * The version in force on `asOf` among versions of one standard, or undefined when none is.
 * When ranges overlap (a later version saved without closing the earlier one's range), the
 * higher version number wins: saving v2 from the same date replaces v1 from that date.
 * The order of `versions` does not matter.
 */
export function versionInForce<T extends InForceFields>(
  versions: readonly T[],
  asOf: IsoDate,
): T | undefined {
  let chosen: T | undefined;
  for (const version of versions) {
    if (isInForce(version, asOf) && (!chosen || version.version > chosen.version)) chosen = version;
  }
  return chosen;
}

/** @deprecated The former name of `versionInForce` (the same function). */
export const selectVersion = versionInForce;
