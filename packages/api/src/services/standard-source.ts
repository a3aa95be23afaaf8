import type { Db } from "@dn/db";
import type { StandardDocument } from "@dn/schema";
import { standardVersions } from "@dn/standards";

/**
 * Every version of one standard visible to an organization, oldest first: the shipped pack.
 * The one place services look standards up, so that custom (database) standards plug in here.
 */
export async function resolveStandardVersions(
  _db: Db,
  _organizationId: string,
  standardId: string,
): Promise<StandardDocument[]> {
  return standardVersions(standardId);
}
