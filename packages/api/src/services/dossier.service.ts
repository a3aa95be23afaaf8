import { toDossier } from "@dn/compliance";
import { type Db, listAllRecordVersionsOfPractitioner, listLicenses } from "@dn/db";
import type { Dossier, License, Practitioner } from "@dn/schema";

/**
 * Reads one practitioner's licenses and every version of every record into a dossier: the one
 * input the compliance engine takes. Authorization is the caller's job (requirePractitioner).
 * All versions are kept so the engine can answer `knownAt` questions exactly.
 */
export async function loadDossier(
  db: Db,
  practitioner: Pick<Practitioner, "id" | "name" | "profession">,
  options: { exportedAt?: string; licenses?: readonly License[] } = {},
): Promise<Dossier> {
  const [licenses, records] = await Promise.all([
    // Callers that already read the licenses (applicability) pass them rather than re-query.
    options.licenses ?? listLicenses(db, practitioner.id),
    listAllRecordVersionsOfPractitioner(db, practitioner.id),
  ]);
  return toDossier(practitioner, licenses, records, { exportedAt: options.exportedAt });
}
