/**
 * What a certificate upload really is, decided from its bytes, never from its name. Pure.
 *
 * Accepted: PDF, PNG and JPEG up to 10 MB. Each is checked at both ends and in its structure, so
 * a file cut short in transfer, or a few bytes dressed up with a signature, is refused rather
 * than stored:
 * - PDF: starts with `%PDF-`; ends with `startxref`, the offset of its cross-reference section
 *   (inside the file) and `%%EOF` (trailing whitespace allowed); holds a cross-reference table
 *   (`xref`) or stream (`/Type /XRef`) and names its document catalog (`/Root`).
 * - PNG: the 8-byte signature, an IHDR chunk first (13 bytes, non-zero size), image data, every
 *   chunk whole with its CRC right, and IEND last.
 * - JPEG: SOI (FF D8), then whole marker segments (each length inside the file), a frame header
 *   (SOFn, non-zero size) before the first scan (SOS), entropy-coded data, and EOI (FF D9) last.
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

/** Bytes as Latin-1 text: one character per byte, for the PDF's ASCII keywords. */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** How far from its end a PDF's `startxref <offset> %%EOF` may begin. */
const PDF_TAIL_BYTES = 1024;

/**
 * What is wrong with a PDF's skeleton, or null: `startxref`, an offset inside the file and
 * `%%EOF` at the end, a cross-reference table or stream, and a document catalog (`/Root`).
 * Objects themselves are left to the reader that opens the file.
 */
function pdfStructureProblem(bytes: Uint8Array): string | null {
  const end = trimmedEnd(bytes);
  const tailStart = Math.max(0, end - PDF_TAIL_BYTES);
  const tail = latin1(bytes.subarray(tailStart, end));
  const pointer = /startxref\s+(\d{1,12})\s+%%EOF$/.exec(tail);
  if (!pointer) return "has no cross-reference pointer (startxref) before its %%EOF";
  const offset = Number(pointer[1]);
  if (offset < 5 || offset >= tailStart + pointer.index) {
    return "points to a cross-reference section outside the file";
  }
  const text = latin1(bytes.subarray(0, end));
  if (!/(^|[\r\n])xref[\r\n ]/.test(text) && !/\/Type\s*\/XRef\b/.test(text)) {
    return "has no cross-reference table (xref)";
  }
  if (!/\/Root\s+\d+\s+\d+\s+R\b/.test(text)) return "names no document catalog (/Root)";
  return null;
}

/** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC): the markers that start a frame. */
function isFrameMarker(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * What is wrong with a JPEG's segments, or null. After SOI come marker segments, each
 * `FF <marker> <length:2>` with its length inside the file; a frame header (SOFn) with a
 * non-zero width and height before the first scan (SOS); after each scan header, entropy-coded
 * data in which FF is followed only by 00 or a restart marker; EOI last, nothing after it.
 */
function jpegStructureProblem(bytes: Uint8Array, end: number): string | null {
  let at = 2;
  let sawFrame = false;
  let sawScan = false;
  while (at < end) {
    if (bytes[at] !== 0xff) return "is damaged (a segment does not start with a marker)";
    // Any number of FF fill bytes may precede a marker.
    while (at < end && bytes[at] === 0xff) at += 1;
    const marker = bytes[at];
    at += 1;
    if (marker === undefined) break;
    if (marker === 0xd9) {
      if (!sawScan) return "holds no image data (no scan)";
      return at === end ? null : "has data after its end marker";
    }
    if (marker === 0x00 || marker === 0xd8) return "is damaged (a misplaced marker)";
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (at + 2 > end) break;
    const length = ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
    if (length < 2 || at + length > end) {
      return "is incomplete (a segment runs past the end)";
    }
    if (isFrameMarker(marker)) {
      if (length < 8) return "has a damaged frame header";
      const width = ((bytes[at + 5] ?? 0) << 8) | (bytes[at + 6] ?? 0);
      // A height of 0 may be given later (in a DNL segment); a width of 0 never.
      if (width === 0) return "has a width of zero";
      sawFrame = true;
    }
    at += length;
    if (marker === 0xda) {
      if (!sawFrame) return "has image data before its frame header (SOF)";
      sawScan = true;
      // Entropy-coded data runs to the next marker that is not a stuffed 00 or a restart.
      while (at < end) {
        if (bytes[at] === 0xff) {
          const next = bytes[at + 1];
          if (next === 0x00 || (next !== undefined && next >= 0xd0 && next <= 0xd7)) {
            at += 2;
            continue;
          }
          if (next === 0xff) {
            at += 1;
            continue;
          }
          break;
        }
        at += 1;
      }
    }
  }
  return "is incomplete (no end marker)";
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
    const problem = pdfStructureProblem(bytes);
    if (problem) return { ok: false, problem: `the PDF ${problem}; upload it again` };
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
    const end = trimmedEnd(bytes);
    if (!endsWith(bytes, [0xff, 0xd9], end)) {
      return {
        ok: false,
        problem: "the JPEG image is incomplete (no end marker); upload it again",
      };
    }
    const problem = jpegStructureProblem(bytes, end);
    if (problem) return { ok: false, problem: `the JPEG image ${problem}; upload it again` };
    return { ok: true, mediaType: "image/jpeg", extension: "jpg" };
  }
  return {
    ok: false,
    problem: `the file's content is ${describeOther(bytes)}; certificates must be PDF, PNG or JPEG`,
  };
}
