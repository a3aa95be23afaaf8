import { createDb, countStoredVerdicts, listStoredDeadlines, countUnverifiedEvidence, findAuditChainHead, listMatrixPage, listAppliedStandards, listStoredVerdicts } from "@dn/db";
import { loadOrganizationRules } from "../../services/staff-compliance.ts";
import { refreshEvaluations, storedTrendMonths, trendDates, clinicDatesOf } from "../../services/evaluations.ts";
const [path, org] = process.argv.slice(2) as [string, string];
const handle = createDb({ sqlitePath: path });
const db = handle.db;
const t = async <T>(name: string, f: () => Promise<T>) => { const s = performance.now(); const r = await f(); console.log(name.padEnd(28), (performance.now() - s).toFixed(1)); return r; };
for (let round = 0; round < 2; round++) {
  console.log("round", round);
  const rules = await t("loadOrganizationRules", () => loadOrganizationRules(db, org));
  await t("auditHead", () => findAuditChainHead(db, org));
  const now = new Date();
  await t("clinicDatesOf", async () => clinicDatesOf(rules, { at: now }));
  await t("refreshEvaluations", () => refreshEvaluations(db, rules, { today: { at: now }, now }));
  await t("countStoredVerdicts", () => countStoredVerdicts(db, { organizationId: org }));
  const dl = await t("listStoredDeadlines", () => listStoredDeadlines(db, { organizationId: org }, "2027-01-05"));
  console.log("  deadline states", dl.length);
  await t("countUnverifiedEvidence", () => countUnverifiedEvidence(db, org));
  const dates = trendDates(now.toISOString().slice(0, 10));
  await t("storedTrendMonths", () => storedTrendMonths(db, rules, dates.slice(0, -1) as never, () => true));
  const page = await t("listMatrixPage", () => listMatrixPage(db, { organizationId: org, sort: "name", cursor: null, limit: 50 } as never));
  await t("listMatrixPage with total", () => listMatrixPage(db, { organizationId: org, sort: "name", cursor: null, limit: 50, total: 5 } as never));
  await t("listAppliedStandards", () => listAppliedStandards(db, { organizationId: org }));
  await t("listStoredVerdicts", () => listStoredVerdicts(db, (page as { items: { practitionerId: string }[] }).items.map((r) => r.practitionerId)));
}
await handle.destroy();
