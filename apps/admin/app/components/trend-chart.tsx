/**
 * The share of qualified staff month by month, as a small server-rendered SVG line chart. It is
 * an image with a text alternative; the same figures are in a table below it for screen readers
 * and for anyone who wants the numbers.
 */
export interface TrendPoint {
  month: string;
  qualified: number;
  total: number;
  share: number;
  /** Not computed yet (the background job fills finished months): drawn as a gap. */
  pending: boolean;
}

const W = 640;
const H = 220;
const PAD = { top: 16, right: 16, bottom: 36, left: 44 };

export function TrendChart({ points }: { points: TrendPoint[] }) {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (share: number) => PAD.top + innerH * (1 - share);
  // A pending month breaks the line: the next computed month starts a new segment.
  const path = points
    .map((p, i) =>
      p.pending
        ? ""
        : `${i === 0 || points[i - 1]?.pending ? "M" : "L"}${x(i).toFixed(1)},${y(p.share).toFixed(1)}`,
    )
    .filter(Boolean)
    .join(" ");
  const shown = points.filter((p) => !p.pending);
  const pendingCount = points.length - shown.length;
  const last = shown.at(-1);
  const first = shown[0];
  const summary =
    (first && last
      ? `Share of qualified staff from ${first.month} to ${last.month}: ${pct(first.share)} then ${pct(last.share)} (${last.qualified} of ${last.total}).`
      : "No data.") +
    (pendingCount > 0
      ? ` ${pendingCount} earlier ${pendingCount === 1 ? "month is" : "months are"} still being computed; reload in a minute.`
      : "");
  return (
    <figure className="trend">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="trend-title trend-desc"
        className="trend__svg"
      >
        <title id="trend-title">Share of qualified staff, last 12 months</title>
        <desc id="trend-desc">{summary}</desc>
        {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
              className="trend__grid"
            />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" className="trend__label">
              {Math.round(tick * 100)}%
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <text key={p.month} x={x(i)} y={H - 12} textAnchor="middle" className="trend__label">
            {p.month.slice(2).replace("-", "/")}
          </text>
        ))}
        <path d={path} className="trend__line" />
        {points.map((p, i) =>
          p.pending ? null : (
            <circle key={p.month} cx={x(i)} cy={y(p.share)} r={3.5} className="trend__dot">
              <title>{`${p.month}: ${p.qualified} of ${p.total} qualified (${pct(p.share)})`}</title>
            </circle>
          ),
        )}
      </svg>
      <figcaption className="muted">{summary}</figcaption>
      <details>
        <summary>Figures by month</summary>
        <table className="table">
          <caption className="visually-hidden">Qualified staff by month</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" className="num">
                Qualified
              </th>
              <th scope="col" className="num">
                Staff
              </th>
              <th scope="col" className="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.month}>
                <th scope="row">{p.month}</th>
                {p.pending ? (
                  <td colSpan={3} className="muted">
                    Being computed
                  </td>
                ) : (
                  <>
                    <td className="num">{p.qualified}</td>
                    <td className="num">{p.total}</td>
                    <td className="num">{pct(p.share)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}
