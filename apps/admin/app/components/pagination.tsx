import { Link, useSearchParams } from "@remix-run/react";

/**
 * Cursor pagination with plain links. The API only hands out the next cursor, so the cursors of
 * earlier pages ride along in repeated `back` query parameters ("" stands for the first page).
 */
export function Pagination({ nextCursor, label }: { nextCursor: string | null; label: string }) {
  const [searchParams] = useSearchParams();
  const cursor = searchParams.get("cursor");
  const back = searchParams.getAll("back");

  const hrefWith = (nextParams: { cursor: string | null; back: string[] }) => {
    const params = new URLSearchParams(searchParams);
    params.delete("cursor");
    params.delete("back");
    if (nextParams.cursor) params.set("cursor", nextParams.cursor);
    for (const value of nextParams.back) params.append("back", value);
    const query = params.toString();
    return query ? `?${query}` : "?";
  };

  const hasPrevious = cursor !== null && cursor !== "";
  if (!hasPrevious && !nextCursor) return null;
  const previousCursor = back.at(-1) ?? null;

  return (
    <nav className="pagination" aria-label={label}>
      {hasPrevious ? (
        <Link rel="prev" to={hrefWith({ cursor: previousCursor, back: back.slice(0, -1) })}>
          ← Previous
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
      {nextCursor ? (
        <Link rel="next" to={hrefWith({ cursor: nextCursor, back: [...back, cursor ?? ""] })}>
          Next →
        </Link>
      ) : null}
    </nav>
  );
}
