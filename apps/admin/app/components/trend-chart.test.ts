import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { TrendChart, type TrendPoint } from "./trend-chart.tsx";

const point = (month: string, qualified: number, total: number): TrendPoint => ({
  month,
  qualified,
  total,
  share: total === 0 ? 0 : qualified / total,
  pending: false,
});
const pending = (month: string): TrendPoint => ({ ...point(month, 0, 0), pending: true });

test("months still being computed are a gap in the line and say so, never a drop to 0%", () => {
  const html = renderToStaticMarkup(
    createElement(TrendChart, {
      points: [
        pending("2026-09"),
        point("2026-10", 3, 4),
        pending("2026-11"),
        point("2026-12", 4, 4),
      ],
    }),
  );
  // Two segments of one point each: each computed month starts its own.
  const path = /<path d="([^"]*)"/.exec(html)?.[1] ?? "";
  expect(path.match(/M/g)).toHaveLength(2);
  expect(path).not.toContain("L");
  expect(html.match(/<circle/g)).toHaveLength(2);
  expect(html).toContain("from 2026-10 to 2026-12: 75% then 100% (4 of 4)");
  expect(html).toContain("2 earlier months are still being computed");
  expect(html.match(/Being computed/g)).toHaveLength(2);
});

test("with every month computed, the line joins them all and nothing is pending", () => {
  const html = renderToStaticMarkup(
    createElement(TrendChart, { points: [point("2026-11", 1, 2), point("2026-12", 2, 2)] }),
  );
  const path = /<path d="([^"]*)"/.exec(html)?.[1] ?? "";
  expect(path.match(/M/g)).toHaveLength(1);
  expect(path.match(/L/g)).toHaveLength(1);
  expect(html).not.toContain("being computed");
  expect(html).not.toContain("Being computed");
});
