/**
 * What a certificate upload really is, decided from its bytes, never from its name. Pure.
 *
 * Accepted: PDF, PNG and JPEG up to 10 MB. Each is checked at both ends, so a file cut short in
 * transfer is refused rather than stored: a PDF must start with `%PDF-` and end with `%%EOF`
 * (trailing whitespace allowed), a PNG must carry its 8-byte signature and end with the IEND
 * chunk, a JPEG must start with SOI (FF D8 FF) and end with EOI (FF D9).
 */

import { crc32 } from "node:zlib";
import { type EvidenceMediaType, MAX_EVIDENCE_BYTES } from "@dn/schema";

export type ContentCheck =
  | { ok: true; mediaType: EvidenceMediaType; extension: "pdf" | "png" | "jpg" }
  | { ok: false; problem: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Length 0, type IEND, CRC AE 42 60 82: the last 12 bytes of every complete PNG. */
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x00;
}

/** The index just past the last non-whitespace byte. */
function trimmedEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && isWhitespace(bytes[end - 1])) end -= 1;
  return end;
}

function endsWith(bytes: Uint8Array, suffix: readonly number[], end = bytes.length): boolean {
  return end >= suffix.length && startsWith(bytes, suffix, end - suffix.length);
}

/** A short description of what the bytes look like, for the refusal message. */
function describeOther(bytes: Uint8Array): string {
  if (startsWith(bytes, ascii("MZ"))) return "a Windows program (.exe)";
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return "a Linux program (ELF)";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "a ZIP archive or Office document";
  if (startsWith(bytes, ascii("GIF8"))) return "a GIF image";
  if (startsWith(bytes, ascii("<")) || startsWith(bytes, [0xef, 0xbb, 0xbf, 0x3c])) {
    return "an HTML or XML document";
  }
  return "not a PDF, PNG or JPEG file";
}

/**
 * What is wrong with a PNG's chunks, or null: an image header (IHDR, 13 bytes, non-zero size)
 * first, image data (IDAT) before the end, every chunk whole and its CRC right, nothing after
 * IEND. A signature and an end marker alone (20 bytes) are not an image.
 */
function pngStructureProblem(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = PNG_SIGNATURE.length;
  let index = 0;
  let sawData = false;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (end > bytes.length) return "is incomplete (a chunk runs past the end)";
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) {
      return `is damaged (the ${type} chunk fails its checksum)`;
    }
    if (index === 0) {
      if (type !== "IHDR" || length !== 13) return "has no image header (IHDR) where it must start";
      if (view.getUint32(at + 8) === 0 || view.getUint32(at + 12) === 0) {
        return "has a width or height of zero";
      }
    }
    if (type === "IDAT") sawData = true;
    if (type === "IEND") {
      if (!sawData) return "holds no image data (IDAT)";
      return end === bytes.length ? null : "has data after its end (IEND)";
    }
    at = end;
    index += 1;
  }
  return "is incomplete (no IEND chunk)";
}

export function checkEvidenceContent(bytes: Uint8Array): ContentCheck {
  if (bytes.length === 0) return { ok: false, problem: "the file is empty" };
  if (bytes.length > MAX_EVIDENCE_BYTES) {
    return {
      ok: false,
      problem: `the file is ${(bytes.length / (1024 * 1024)).toFixed(1)} MB; the limit is 10 MB`,
    };
  }
  if (startsWith(bytes, ascii("%PDF-"))) {
    if (!endsWith(bytes, ascii("%%EOF"), trimmedEnd(bytes))) {
      return { ok: false, problem: "the PDF is incomplete (no %%EOF at its end); upload it again" };
    }
    return { ok: true, mediaType: "application/pdf", extension: "pdf" };
  }
  if (startsWith(bytes, PNG_SIGNATURE)) {
    if (!endsWith(bytes, PNG_IEND)) {
      return { ok: false, problem: "the PNG image is incomplete (no IEND chunk); upload it again" };
    }
    const problem = pngStructureProblem(bytes);
    if (problem) return { ok: false, problem: `the PNG image ${problem}; upload it again` };
    return { ok: true, mediaType: "image/png", extension: "png" };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    if (!endsWith(bytes, [0xff, 0xd9], trimmedEnd(bytes))) {
      return {
        ok: false,
        problem: "the JPEG image is incomplete (no end marker); upload it again",
      };
    }
    return { ok: true, mediaType: "image/jpeg", extension: "jpg" };
  }
  return {
    ok: false,
    problem: `the file's content is ${describeOther(bytes)}; certificates must be PDF, PNG or JPEG`,
  };
}
