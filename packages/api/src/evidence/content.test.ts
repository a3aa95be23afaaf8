import { MAX_EVIDENCE_BYTES } from "@dn/schema";
import { describe, expect, test } from "vitest";
import { exeBytes, jpegBytes, pdfBytes, pngBytes } from "../evidence-fixtures.ts";
import { checkEvidenceContent } from "./content.ts";

describe("checkEvidenceContent", () => {
  test.each([
    ["a PDF", pdfBytes(), "application/pdf"],
    ["a PNG", pngBytes(), "image/png"],
    ["a JPEG", jpegBytes(), "image/jpeg"],
  ])("accepts %s by its content", (_name, bytes, mediaType) => {
    expect(checkEvidenceContent(bytes)).toMatchObject({ ok: true, mediaType });
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
