/**
 * The dashboard's "Adverse events to follow up" panel: every open follow-up's summary, owner, due
 * date and age, soonest due first, until it is resolved on the follow-ups page. Stacked cards, so
 * it reads the same at 390 px as at 1440 px. Fed by `content.followUps.open`.
 */
import type { OpenFollowUps } from "@dn/schema";
import { Link } from "@remix-run/react";

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function dueText(daysLeft: number): string {
  if (daysLeft < 0) return `${plural(-daysLeft, "day")} overdue`;
  if (daysLeft === 0) return "due today";
  return `due in ${plural(daysLeft, "day")}`;
}

export function FollowUpsPanel({ panel }: { panel: OpenFollowUps }) {
  const more = panel.total - panel.items.length;
  return (
    <section className="card section stack" aria-labelledby="follow-ups-heading">
      <h2 id="follow-ups-heading">Adverse events to follow up</h2>
      {panel.total === 0 ? (
        <p className="empty">Nothing to follow up: no flagged adverse event is open.</p>
      ) : (
        <>
          <p className="muted">
            {plural(panel.total, "open follow-up")}
            {panel.overdue > 0 ? (
              <>
                , <strong className="count badge--rejected">{panel.overdue} overdue</strong>
              </>
            ) : null}{" "}
            · as of {panel.asOf}
          </p>
          <ul className="stack" aria-label="Open adverse-event follow-ups">
            {panel.items.map((item) => (
              <li key={item.id} className="break-anywhere">
                <p>
                  <Link to="/follow-ups">{item.summary}</Link>
                </p>
                <p className="muted">
                  Owner <strong>{item.ownerName || "—"}</strong> · due{" "}
                  <span className="nowrap">{item.dueOn}</span>{" "}
                  <span
                    className={`count ${item.daysLeft < 0 ? "badge--rejected" : item.daysLeft <= 1 ? "badge--pending" : "badge--withdrawn"}`}
                  >
                    {dueText(item.daysLeft)}
                  </span>{" "}
                  · open {item.ageDays === 0 ? "since today" : `for ${plural(item.ageDays, "day")}`}{" "}
                  · from a comment on “{item.articleTitle}”
                </p>
              </li>
            ))}
          </ul>
          {more > 0 ? (
            <p>
              <Link to="/follow-ups">{plural(more, "more open follow-up")} →</Link>
            </p>
          ) : (
            <p>
              <Link to="/follow-ups">All follow-ups →</Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
