/**
 * The JSON export, streamed: the header's fields first, then `practitioners` one element at a
 * time. The concatenated output is one `dn-compliance-export` v1 document (ComplianceExportSchema).
 */
import { Readable } from "node:stream";
import type { ExportHeader, ExportPractitioner } from "@dn/schema";
import type { AnyIterable } from "./model.ts";

/** Yields the document in chunks: never more than one practitioner's JSON at a time. */
export async function* jsonChunks(
  header: ExportHeader,
  practitioners: AnyIterable<ExportPractitioner>,
): AsyncGenerator<string> {
  const head = JSON.stringify(header, null, 2);
  // The header is an object: reopen it to append the practitioners array.
  yield `${head.slice(0, head.lastIndexOf("}")).trimEnd()},\n  "practitioners": [`;
  let first = true;
  for await (const practitioner of practitioners) {
    yield `${first ? "\n" : ",\n"}    ${JSON.stringify(practitioner)}`;
    first = false;
  }
  yield first ? "]\n}\n" : "\n  ]\n}\n";
}

/** The JSON export as a byte stream. */
export function jsonExport(
  header: ExportHeader,
  practitioners: AnyIterable<ExportPractitioner>,
): Readable {
  return Readable.from(jsonChunks(header, practitioners));
}
