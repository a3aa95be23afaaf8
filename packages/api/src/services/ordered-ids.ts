import { v7 } from "uuid";

/**
 * Ids for the rows one bulk operation writes (an import): UUIDv7 at the operation's instant,
 * numbered in write order. Random (v4) ids scatter each insert over every page of each
 * primary-key index; these land together at its end, which halved the index cost of a roster
 * import's licenses and audit rows (decision 058). The time is the caller's clock, never the
 * wall clock, and the last 48 bits stay random, so two operations at the same instant do not
 * collide.
 */
export function orderedIds(at: Date): () => string {
  const msecs = at.getTime();
  let seq = 0;
  return () => v7({ msecs, seq: seq++ });
}
