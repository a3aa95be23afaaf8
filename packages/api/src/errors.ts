/**
 * The one error type services throw. It names a refusal in domain terms; the tRPC layer maps it
 * to a tRPC error in one place (trpc.ts), so services never import tRPC.
 */
import { InvalidCursorError } from "@dn/db";

export const DOMAIN_ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_REQUESTS",
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** The input field at fault, as a dotted path, when one is. */
  readonly field: string | null;
  /** The message without the field prefix, for showing next to the field. */
  readonly problem: string;

  constructor(code: DomainErrorCode, problem: string, field: string | null = null) {
    super(field ? `${field}: ${problem}` : problem);
    this.name = "DomainError";
    this.code = code;
    this.field = field;
    this.problem = problem;
  }
}

export const notFound = (what: string, field: string | null = "id") =>
  new DomainError("NOT_FOUND", `no ${what} with this id`, field);
export const forbidden = (problem: string) => new DomainError("FORBIDDEN", problem);
export const conflict = (problem: string, field: string | null = null) =>
  new DomainError("CONFLICT", problem, field);
export const badRequest = (problem: string, field: string | null = null) =>
  new DomainError("BAD_REQUEST", problem, field);

/** A DomainError for errors that mean one, from services or the repositories below them. */
export function asDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error instanceof InvalidCursorError) {
    return badRequest("is not a cursor returned by this list", "cursor");
  }
  return null;
}
