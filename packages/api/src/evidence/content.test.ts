import { MAX_EVIDENCE_BYTES } from "@dn/schema";
import { describe, expect, test } from "vitest";
import { exeBytes, jpegBytes, pdfBytes, pngBytes } from "../evidence-fixtures.ts";
import { checkEvidenceContent } from "./content.ts";

function latin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}

function latin1Text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

describe("checkEvidenceContent", () => {
  test.each([
    ["a PDF", pdfBytes(), "application/pdf"],
    ["a PNG", pngBytes(), "image/png"],
    ["a JPEG", jpegBytes(), "image/jpeg"],
  ])("accepts %s by its content", (_name, bytes, mediaType) => {
    expect(checkEvidenceContent(bytes)).toMatchObject({ ok: true, mediaType });
  });

  test("a PDF whose cross-reference section is a stream (PDF 1.5+) is complete", () => {
    const pdf = [
      "%PDF-1.7",
      "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
      "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj",
      "3 0 obj << /Type /XRef /Size 4 /Root 1 0 R /W [1 2 1] /Length 0 >> stream",
      "endstream endobj",
      "startxref",
      "111",
      "%%EOF",
    ].join("\n");
    expect(checkEvidenceContent(latin1(pdf))).toMatchObject({ ok: true });
  });

  test("a JPEG with restart markers and stuffed bytes in its scan is complete", () => {
    const bytes = jpegBytes();
    const scanEnd = bytes.length - 2;
    const withData = new Uint8Array([
      ...bytes.slice(0, scanEnd),
      0xff,
      0x00,
      0xff,
      0xd0,
      0x3f,
      ...bytes.slice(scanEnd),
    ]);
    expect(checkEvidenceContent(withData)).toMatchObject({ ok: true, mediaType: "image/jpeg" });
  });

  test("a PDF with trailing newlines after %%EOF is complete", () => {
    const bytes = new Uint8Array([...pdfBytes(), 0x0d, 0x0a, 0x0a]);
    expect(checkEvidenceContent(bytes)).toMatchObject({ ok: true });
  });

  test.each([
    ["a Windows program renamed to .pdf", exeBytes(), /Windows program/],
    ["a PDF cut short", pdfBytes().slice(0, 120), /PDF is incomplete/],
    ["a PNG cut short", pngBytes().slice(0, 30), /PNG image is incomplete/],
    ["a JPEG cut short", jpegBytes().slice(0, 8), /JPEG image is incomplete/],
    ["an HTML page", new TextEncoder().encode("<html><script>alert(1)</script></html>"), /HTML/],
    ["an empty file", new Uint8Array(), /empty/],
    [
      "a 20-byte PNG: a signature and an end marker, no image",
      new Uint8Array([...pngBytes().slice(0, 8), ...pngBytes().slice(-12)]),
      /PNG image has no image header/,
    ],
    [
      "a PNG with no image data",
      new Uint8Array([...pngBytes().slice(0, 33), ...pngBytes().slice(-12)]),
      /holds no image data/,
    ],
    [
      "a PNG whose header chunk was altered",
      (() => {
        const bytes = pngBytes();
        bytes[20] = 0x7f; // inside IHDR's width: the chunk's CRC no longer matches
        return bytes;
      })(),
      /IHDR chunk fails its checksum/,
    ],
    [
      "a PDF with no cross-reference pointer: a header and an end marker around text",
      latin1("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
      /PDF has no cross-reference pointer \(startxref\)/,
    ],
    ["a 12-byte PDF", latin1("%PDF-1.\n%%EOF"), /no cross-reference pointer/],
    [
      "a PDF whose startxref points past its end",
      latin1(latin1Text(pdfBytes()).replace(/startxref\n\d+/, "startxref\n99999")),
      /outside the file/,
    ],
    [
      "a PDF with a pointer but no cross-reference table",
      latin1("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nstartxref\n9\n%%EOF\n"),
      /no cross-reference table \(xref\)/,
    ],
    [
      "a PDF with no document catalog",
      latin1(latin1Text(pdfBytes()).replace("/Root 1 0 R", "")),
      /names no document catalog/,
    ],
    [
      "a 13-byte JPEG: SOI, an APP0 marker claiming 16 bytes, EOI",
      new Uint8Array([
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9,
      ]),
      /JPEG image is incomplete \(a segment runs past the end\)/,
    ],
    [
      "a JPEG with tables but no image data",
      new Uint8Array([...jpegBytes().slice(0, 2 + 4 + 64 + 1), 0xff, 0xd9]),
      /JPEG image holds no image data/,
    ],
    [
      "a JPEG whose scan comes before its frame header",
      (() => {
        const bytes = jpegBytes();
        bytes[2 + 4 + 64 + 1 + 1] = 0xe1; // the SOF0 segment becomes an APP1 segment
        return bytes;
      })(),
      /image data before its frame header/,
    ],
    [
      "a JPEG with a width of zero",
      (() => {
        const bytes = jpegBytes();
        bytes[2 + 4 + 64 + 1 + 4 + 1 + 2 + 1] = 0; // SOF0's width, low byte
        return bytes;
      })(),
      /width of zero/,
    ],
    [
      "a JPEG with a page appended after its end marker",
      new Uint8Array([...jpegBytes(), ...latin1("<html><script>alert(1)</script>"), 0xff, 0xd9]),
      /data after its end marker/,
    ],
    [
      "a JPEG with a stray byte between segments",
      (() => {
        const bytes = jpegBytes();
        return new Uint8Array([...bytes.slice(0, 2 + 4 + 64 + 1), 0x00, ...bytes.slice(71)]);
      })(),
      /does not start with a marker/,
    ],
  ])("refuses %s with a clear message", (_name, bytes, message) => {
    const result = checkEvidenceContent(bytes);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problem).toMatch(message);
  });

  test("refuses a file over 10 MB even when it is a valid PDF", () => {
    const pdf = pdfBytes();
    const big = new Uint8Array(MAX_EVIDENCE_BYTES + 1);
    big.set(pdf.slice(0, 9), 0);
    big.set(pdf.slice(-7), big.length - 7);
    const result = checkEvidenceContent(big);
    expect(result).toMatchObject({ ok: false });
    expect(result.ok ? "" : result.problem).toMatch(/limit is 10 MB/);
  });
});
