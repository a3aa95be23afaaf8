import type { Evaluation, RequirementResult } from "@dn/compliance";
import { VERDICT_LABELS } from "@dn/compliance";
import type { StandardDocument } from "@dn/schema";

/** Plain-text rendering for a terminal: what the verdict is, and why, requirement by requirement. */

function requirementLine(result: RequirementResult): string {
  const mark = result.met ? "✓" : result.metIfPendingVerified ? "…" : "✗";
  const advisory = result.advisory ? " (advisory)" : "";
  const due = result.due ? ` (${result.stateLabel})` : "";
  return `  ${mark} ${result.title}${advisory}: ${result.have} of ${result.need} ${result.unit}${due}`;
}

export function formatEvaluation(evaluation: Evaluation): string {
  const { standard } = evaluation;
  const lines = [
    `${VERDICT_LABELS[evaluation.status].toUpperCase()}: ${evaluation.practitioner.name} against ${standard.title}`,
    `  standard ${standard.id} v${standard.version}${standard.draft ? " (draft)" : ""}, in force ${standard.effectiveFrom ?? "never"} to ${standard.effectiveTo ?? "now"}, confidence ${standard.confidence}`,
    `  as of ${evaluation.asOf}${evaluation.knownAt ? `, as known at ${evaluation.knownAt}` : ""}`,
    `  ${evaluation.summary}`,
    "",
    "Requirements:",
  ];
  for (const result of evaluation.requirements) {
    lines.push(requirementLine(result));
    lines.push(`      ${result.explanation}`);
    for (const counted of result.counted) {
      lines.push(
        `      + ${counted.title} (${counted.completedOn})${counted.note ? `: ${counted.note}` : ""}`,
      );
    }
    for (const excluded of result.excluded) {
      lines.push(`      - ${excluded.title} (${excluded.completedOn}): ${excluded.message}`);
    }
    lines.push(
      `      source: ${result.citation.text}${result.citation.url ? ` <${result.citation.url}>` : ""}`,
    );
  }
  if (evaluation.nextLapse) {
    lines.push("", `Next lapse: ${evaluation.nextLapse.on} (${evaluation.nextLapse.title})`);
  }
  if (evaluation.gaps.length > 0) {
    lines.push("", "Missing:");
    for (const gap of evaluation.gaps) {
      lines.push(`  - ${gap.message}${gap.advisory ? " (advisory)" : ""}`);
    }
  }
  if (evaluation.warnings.length > 0) {
    lines.push("", "Warnings:");
    for (const warning of evaluation.warnings) lines.push(`  ! ${warning}`);
  }
  return `${lines.join("\n")}\n`;
}

/** One row per standard, aligned in columns. */
export function formatStandardList(standards: readonly StandardDocument[]): string {
  const rows = standards.map((s) => [
    s.id,
    `v${s.version}`,
    s.status,
    s.jurisdiction ?? "-",
    s.effectiveFrom ?? "draft",
    s.title,
  ]);
  const header = ["ID", "VERSION", "STATUS", "WHERE", "IN FORCE FROM", "TITLE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return `${[header, ...rows]
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "),
    )
    .join("\n")}\n`;
}

export function formatStandard(versions: readonly StandardDocument[]): string {
  const lines: string[] = [];
  for (const s of versions) {
    lines.push(
      `${s.id} v${s.version}${s.draft ? " (draft, not in force)" : ""}: ${s.title}`,
      `  ${s.kind}, ${s.jurisdiction ?? "no jurisdiction"}, ${s.authority}; status ${s.status}`,
      `  in force ${s.effectiveFrom ?? "never"} to ${s.effectiveTo ?? "now"}; confidence ${s.confidence}, last verified ${s.lastVerified}`,
    );
    for (const citation of s.citations) {
      lines.push(`  cites: ${citation.text}${citation.url ? ` <${citation.url}>` : ""}`);
    }
    for (const requirement of s.requirements) {
      lines.push(`  - [${requirement.kind}] ${requirement.title} (${requirement.citation.text})`);
    }
    lines.push("");
  }
  return `${lines.join("\n")}`;
}
