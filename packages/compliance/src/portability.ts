import {
  type Dossier,
  type IsoDate,
  type Jurisdiction,
  type StandardDocument,
  selectVersion,
} from "@dn/schema";
import { evaluate } from "./evaluate.ts";
import { type EvaluateOptions, type Evaluation, VERDICTS, type Verdict } from "./types.ts";

export interface PortabilityEntry {
  standardId: string;
  version: number;
  jurisdiction: Jurisdiction | null;
  title: string;
  status: Verdict;
  summary: string;
  /** One line per state, e.g. "US-FL: 25 more supervised sessions". */
  line: string;
  gaps: string[];
  evaluation: Evaluation;
}

export interface Portability {
  asOf: IsoDate;
  knownAt: string | null;
  entries: PortabilityEntry[];
  /** Standards given that have no version in force on asOf (drafts, future or repealed rules). */
  notInForce: string[];
  counts: Record<Verdict, number>;
}

/**
 * One practitioner against many standards at once (e.g. every state's DN rule): the version of
 * each standard in force on `asOf`, its verdict and gaps. Pass all versions; order does not matter.
 */
export function evaluatePortability(
  dossier: Dossier,
  standards: readonly StandardDocument[],
  options: EvaluateOptions,
): Portability {
  const byId = new Map<string, StandardDocument[]>();
  for (const standard of standards) {
    const versions = byId.get(standard.id) ?? [];
    versions.push(standard);
    byId.set(standard.id, versions);
  }
  const entries: PortabilityEntry[] = [];
  const notInForce: string[] = [];
  for (const [id, versions] of byId) {
    const version = selectVersion(versions, options.asOf);
    if (!version) {
      notInForce.push(id);
      continue;
    }
    const evaluation = evaluate(dossier, version, options);
    const gaps = evaluation.gaps.filter((g) => !g.advisory).map((g) => g.message);
    const where = version.jurisdiction ?? version.id;
    const detail =
      evaluation.status === "not-permitted"
        ? "not permitted"
        : evaluation.status === "qualified"
          ? "qualified"
          : evaluation.status === "expiring"
            ? `expiring on ${evaluation.nextLapse?.on}`
            : gaps.join("; ") || evaluation.summary;
    entries.push({
      standardId: id,
      version: version.version,
      jurisdiction: version.jurisdiction,
      title: version.title,
      status: evaluation.status,
      summary: evaluation.summary,
      line: `${where}: ${detail}`,
      gaps,
      evaluation,
    });
  }
  entries.sort((a, b) => {
    const ka = `${a.jurisdiction ?? "~"} ${a.standardId}`;
    const kb = `${b.jurisdiction ?? "~"} ${b.standardId}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  notInForce.sort();
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const entry of entries) counts[entry.status]++;
  return { asOf: options.asOf, knownAt: options.knownAt ?? null, entries, notInForce, counts };
}
