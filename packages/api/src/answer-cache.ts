/**
 * Answers to a few read-only procedures, kept per process and sent again without running tRPC
 * while nothing they depend on has changed (decision 061).
 *
 * An answer is a function of who asks (the whole actor but its session), what they ask (the
 * procedure and its raw input), the organization's data and the date. Every change to that data
 * writes an audit row, which moves the organization's audit chain head (the invariant decision
 * 057's view caches already rest on), so the head's hash stands for the data. The date enters as
 * the quarter hour: every clinic's time zone is a whole number of quarter hours from UTC, so no
 * clinic's date changes inside one, and no answer is kept past its quarter.
 *
 * The head is read before the answer is computed: a change committed meanwhile makes a new head,
 * so an answer is never filed under a head older than the data it was computed from.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "@dn/clock";
import type { Actor } from "./services/context.ts";

/**
 * The procedures whose answers are kept, each with what an answer must satisfy to be kept: the
 * per-request hot paths of decision 058. Each reads only audited data and the date (no instant).
 * A dashboard whose trend still waits for a month the job computes is not kept: the month lands
 * without an audit row.
 */
const KEPT: ReadonlyMap<string, (data: unknown) => boolean> = new Map<
  string,
  (data: unknown) => boolean
>([
  ["practitioners.list", () => true],
  ["compliance.evaluate", () => true],
  ["dashboard.matrix", () => true],
  [
    "dashboard.summary",
    (data) => !(data as { trend: { pending?: boolean }[] }).trend.some((month) => month.pending),
  ],
]);

/** How many answers a process keeps, and how many bytes of them at most. */
const ANSWER_CACHE_ENTRIES = 1000;
const ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

const QUARTER_HOUR_MS = 15 * 60 * 1000;

interface Answer {
  /** The answer's headers as tRPC set them, with its length. */
  headers: Record<string, string | number | string[]>;
  body: Buffer;
}

/** The response headers the host sets itself on every request, never replayed from a kept one. */
const HOST_HEADERS = new Set(["x-request-id"]);

export class AnswerCache {
  readonly #entries = new Map<string, Answer>();
  /** Keys being computed now, settled when that response has been sent. */
  readonly #inFlight = new Map<string, Promise<void>>();
  #bytes = 0;

  /**
   * The key of `procedure` asked with `search` (the URL's query string) by `actor` now, when the
   * organization's audit chain head is `auditHead`; null when the actor may not call procedures
   * yet. The head must have been read before the answer is computed.
   */
  keyOf(
    now: Clock,
    procedure: string,
    search: string,
    actor: Actor,
    auditHead: string,
  ): string | null {
    if (actor.mustEnrolSecondFactor) return null;
    const quarter = Math.floor(now().getTime() / QUARTER_HOUR_MS);
    return JSON.stringify([
      procedure,
      search,
      actor.userId,
      actor.membershipId,
      actor.organizationId,
      actor.role,
      actor.practitionerId,
      actor.clinicIds,
      auditHead,
      quarter,
    ]);
  }

  /**
   * Answers `res` with the kept answer for `key`, or computes it (`compute` hands the request to
   * tRPC) and keeps what is sent. Requests for a key already being computed wait for that answer
   * instead of computing it again: when every answer's quarter hour ends together, 20 dashboards
   * asked at once are computed once, not 20 times side by side.
   */
  async serve(
    key: string,
    procedure: string,
    res: ServerResponse,
    compute: () => void,
  ): Promise<void> {
    if (this.send(key, res)) return;
    const running = this.#inFlight.get(key);
    if (running) {
      await running;
      if (this.send(key, res)) return;
    }
    let done = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.#inFlight.set(key, finished);
    res.once("close", () => {
      if (this.#inFlight.get(key) === finished) this.#inFlight.delete(key);
      done();
    });
    this.#record(key, procedure, res);
    compute();
  }

  /** Sends the kept answer for `key`; false when there is none. */
  send(key: string, res: ServerResponse): boolean {
    const answer = this.#entries.get(key);
    if (!answer) return false;
    this.#entries.delete(key);
    this.#entries.set(key, answer);
    res.writeHead(200, answer.headers);
    res.end(answer.body);
    return true;
  }

  /** Keeps what `res` answers for `procedure`, when it is a whole 200 answer it may keep. */
  #record(key: string, procedure: string, res: ServerResponse): void {
    const keep = KEPT.get(procedure);
    if (!keep) return;
    const chunks: Buffer[] = [];
    let length = 0;
    let overflow = false;
    const collect = (chunk: unknown) => {
      if (overflow || chunk === undefined || chunk === null || typeof chunk === "function") return;
      const buffer =
        typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      length += buffer.length;
      if (length > ANSWER_CACHE_BYTES / 16) overflow = true;
      else chunks.push(buffer);
    };
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: unknown, ...rest: never[]) => {
      collect(chunk);
      return write(chunk as never, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: never[]) => {
      collect(chunk);
      if (res.statusCode === 200 && !overflow) {
        const body = Buffer.concat(chunks, length);
        if (!keepable(body, keep)) return end(chunk as never, ...rest);
        const headers: Answer["headers"] = { "content-length": body.length };
        for (const [name, value] of Object.entries(res.getHeaders())) {
          if (value !== undefined && !HOST_HEADERS.has(name) && name !== "content-length") {
            headers[name] = value;
          }
        }
        this.#keep(key, { headers, body });
      }
      return end(chunk as never, ...rest);
    }) as typeof res.end;
  }

  #keep(key: string, answer: Answer): void {
    const previous = this.#entries.get(key);
    if (previous) {
      this.#bytes -= previous.body.length;
      this.#entries.delete(key);
    }
    this.#entries.set(key, answer);
    this.#bytes += answer.body.length;
    while (this.#entries.size > ANSWER_CACHE_ENTRIES || this.#bytes > ANSWER_CACHE_BYTES) {
      const [oldest, kept] = this.#entries.entries().next().value as [string, Answer];
      this.#entries.delete(oldest);
      this.#bytes -= kept.body.length;
    }
  }
}

function keepable(body: Buffer, keep: (data: unknown) => boolean): boolean {
  try {
    return keep((JSON.parse(body.toString()) as { result: { data: unknown } }).result.data);
  } catch {
    return false; // not the answer shape the procedures give: sent, never kept
  }
}

const BATCH_PARAMETER = /(?:^|&)batch(?:=|&|$)/;

/** The single procedure a GET request calls without batching, or null. */
export function cachedProcedureOf(req: IncomingMessage, basePath: string): string | null {
  if (req.method !== "GET") return null;
  const url = req.url ?? "";
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (!path.startsWith(basePath)) return null;
  const procedure = path.slice(basePath.length);
  if (!KEPT.has(procedure)) return null;
  if (query !== -1 && BATCH_PARAMETER.test(url.slice(query + 1))) return null;
  return procedure;
}
