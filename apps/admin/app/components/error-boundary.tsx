import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const TITLES: Record<number, string> = {
  400: "That request could not be handled",
  403: "You do not have access to this page",
  404: "Not found",
};

/** The one error boundary every route re-exports: a calm explanation and a way back. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let detail = "The page could not be loaded. Try again in a moment.";
  if (isRouteErrorResponse(error)) {
    title = TITLES[error.status] ?? `Error ${error.status}`;
    if (typeof error.data === "string" && error.data.trim() !== "") detail = error.data;
    else if (error.status === 404) detail = "There is nothing here, or it is not yours to see.";
  } else if (error instanceof Error && import.meta.env.DEV) {
    detail = error.message;
  }
  return (
    <section className="error-panel" role="alert" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p>{detail}</p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </section>
  );
}
