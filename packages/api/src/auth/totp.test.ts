import { afterEach, describe, expect, test, vi } from "vitest";
import { DomainError } from "../errors.ts";
import {
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  normalizeRecoveryCode,
  normalizeTotpCode,
  totpCodeAt,
  totpQrSvg,
  totpUri,
  verifyTotp,
} from "./totp.ts";

/** RFC 6238 appendix B's SHA-1 key, "12345678901234567890", in base32. */
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const ON_STEP = new Date("2026-11-27T09:00:00.000Z");
const MID_STEP = new Date("2026-11-27T09:00:17.000Z");
const END_OF_STEP = new Date("2026-11-27T09:00:29.999Z");

const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);
const stepOf = (at: Date) => Math.floor(at.getTime() / 1000 / 30);

function expectDomainError(run: () => unknown, field: string) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("BAD_REQUEST");
    expect((error as DomainError).field).toBe(field);
    return;
  }
  expect.fail(`expected a DomainError on ${field}`);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("TOTP secrets", () => {
  test("a secret is 20 random bytes in unpadded base32", () => {
    const a = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(a);
  });

  test.each(["", "GEZDGNBVGY3TQOJQ", `${RFC_SECRET}A`, RFC_SECRET.toLowerCase(), "1".repeat(32)])(
    "%j is refused as a secret, naming the field",
    (secret) => {
      expectDomainError(
        () => verifyTotp({ secret, code: "123456", at: ON_STEP, lastUsedStep: null }),
        "secret",
      );
      expectDomainError(() => totpCodeAt(secret, ON_STEP), "secret");
      expectDomainError(() => totpUri({ secret, accountName: "alice@example.com" }), "secret");
    },
  );
});

describe("TOTP codes", () => {
  // RFC 6238 appendix B, SHA-1 rows, truncated to the last six of their eight digits.
  test.each([
    [59, "287082"],
    [1111111109, "081804"],
    [1111111111, "050471"],
    [1234567890, "005924"],
    [2000000000, "279037"],
    [20000000000, "353130"],
  ])("at Unix time %i the code is %s (RFC 6238, SHA-1, 30 s)", (seconds, code) => {
    const at = new Date(seconds * 1000);
    expect(totpCodeAt(RFC_SECRET, at)).toBe(code);
    expect(verifyTotp({ secret: RFC_SECRET, code, at, lastUsedStep: null })).toEqual({
      ok: true,
      step: Math.floor(seconds / 30),
    });
  });

  test("only the instant passed in is used, never the wall clock", () => {
    vi.spyOn(Date, "now").mockImplementation(() => {
      throw new Error("read the wall clock");
    });
    const code = totpCodeAt(RFC_SECRET, ON_STEP);
    expect(verifyTotp({ secret: RFC_SECRET, code, at: ON_STEP, lastUsedStep: null }).ok).toBe(true);
    expect(Date.now).toHaveBeenCalledTimes(0);
  });

  describe.each([
    ["on a step boundary", ON_STEP],
    ["mid-step", MID_STEP],
    ["at the end of a step", END_OF_STEP],
  ])("a code made %s", (_, madeAt) => {
    test.each([
      [-90, false],
      [-60, false],
      [-30, true],
      [0, true],
      [30, true],
      [60, false],
      [90, false],
    ])("checked %i s later is accepted: %s", (offset, accepted) => {
      const code = totpCodeAt(RFC_SECRET, madeAt);
      const result = verifyTotp({
        secret: RFC_SECRET,
        code,
        at: plus(madeAt, offset),
        lastUsedStep: null,
      });
      expect(result).toEqual(accepted ? { ok: true, step: stepOf(madeAt) } : { ok: false });
    });
  });

  test("a step already used is refused, so a code works once", () => {
    const code = totpCodeAt(RFC_SECRET, MID_STEP);
    const first = verifyTotp({ secret: RFC_SECRET, code, at: MID_STEP, lastUsedStep: null });
    expect(first).toEqual({ ok: true, step: stepOf(MID_STEP) });
    if (!first.ok) return;
    expect(
      verifyTotp({ secret: RFC_SECRET, code, at: MID_STEP, lastUsedStep: first.step }),
    ).toEqual({ ok: false });
    // The previous step is still inside the drift window, but older than the one used.
    const previous = totpCodeAt(RFC_SECRET, plus(MID_STEP, -30));
    expect(
      verifyTotp({ secret: RFC_SECRET, code: previous, at: MID_STEP, lastUsedStep: first.step }),
    ).toEqual({ ok: false });
    const next = totpCodeAt(RFC_SECRET, plus(MID_STEP, 30));
    expect(
      verifyTotp({
        secret: RFC_SECRET,
        code: next,
        at: plus(MID_STEP, 30),
        lastUsedStep: first.step,
      }),
    ).toEqual({ ok: true, step: first.step + 1 });
  });

  test("a last used step beyond the window refuses without throwing", () => {
    const code = totpCodeAt(RFC_SECRET, ON_STEP);
    for (const lastUsedStep of [stepOf(ON_STEP) + 1, stepOf(ON_STEP) + 1000]) {
      expect(verifyTotp({ secret: RFC_SECRET, code, at: ON_STEP, lastUsedStep })).toEqual({
        ok: false,
      });
    }
    // One step before the current leaves the current step usable.
    expect(
      verifyTotp({ secret: RFC_SECRET, code, at: ON_STEP, lastUsedStep: stepOf(ON_STEP) - 1 }),
    ).toEqual({ ok: true, step: stepOf(ON_STEP) });
  });

  test("spaces in a typed code are ignored", () => {
    const code = totpCodeAt(RFC_SECRET, ON_STEP);
    for (const typed of [
      `${code.slice(0, 3)} ${code.slice(3)}`,
      ` ${code}\t`,
      code.split("").join(" "),
    ]) {
      expect(
        verifyTotp({ secret: RFC_SECRET, code: typed, at: ON_STEP, lastUsedStep: null }),
      ).toEqual({ ok: true, step: stepOf(ON_STEP) });
    }
  });

  test("a well-formed but wrong code is refused", () => {
    const window = [-30, 0, 30].map((offset) => totpCodeAt(RFC_SECRET, plus(ON_STEP, offset)));
    const wrong = ["000000", "111111", "999999"].find((code) => !window.includes(code)) ?? "";
    expect(
      verifyTotp({ secret: RFC_SECRET, code: wrong, at: ON_STEP, lastUsedStep: null }),
    ).toEqual({ ok: false });
  });

  test.each([
    "",
    "12345",
    "1234567",
    "12a456",
    "123-456",
    "１２３４５６",
    "+12345",
    "1e5000",
    " ".repeat(100_000),
    `${"1".repeat(6)}${" ".repeat(100)}`,
  ])("malformed code %j is refused without throwing", (code) => {
    expect(normalizeTotpCode(code)).toBeNull();
    expect(verifyTotp({ secret: RFC_SECRET, code, at: ON_STEP, lastUsedStep: null })).toEqual({
      ok: false,
    });
  });

  test("a code that is not a string is refused without throwing", () => {
    const code = 123456 as unknown as string;
    expect(verifyTotp({ secret: RFC_SECRET, code, at: ON_STEP, lastUsedStep: null })).toEqual({
      ok: false,
    });
  });

  test.each([
    [{ at: new Date(Number.NaN) }, /^at: /],
    [{ at: new Date("1969-12-31T23:59:59.000Z") }, /^at: /],
    [{ lastUsedStep: -1 }, /^lastUsedStep: /],
    [{ lastUsedStep: 1.5 }, /^lastUsedStep: /],
  ])("a bad instant or stored step %j is a programming error naming it", (override, message) => {
    expect(() =>
      verifyTotp({
        secret: RFC_SECRET,
        code: "123456",
        at: ON_STEP,
        lastUsedStep: null,
        ...override,
      }),
    ).toThrow(message);
  });
});

describe("provisioning", () => {
  test("the URI carries issuer, account and secret and parses", () => {
    const uri = new URL(totpUri({ secret: RFC_SECRET, accountName: "alice@example.com" }));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/dn:alice@example.com");
    expect(uri.searchParams.get("secret")).toBe(RFC_SECRET);
    expect(uri.searchParams.get("issuer")).toBe("dn");
  });

  test("a named issuer with spaces is encoded in label and parameter", () => {
    const uri = new URL(
      totpUri({ secret: RFC_SECRET, accountName: "bob smith", issuer: "Acme Health & Care" }),
    );
    expect(decodeURIComponent(uri.pathname)).toBe("/Acme Health & Care:bob smith");
    expect(uri.searchParams.get("issuer")).toBe("Acme Health & Care");
    expect(uri.searchParams.get("secret")).toBe(RFC_SECRET);
  });

  test.each([
    [{ accountName: "" }, "accountName"],
    [{ accountName: "   " }, "accountName"],
    [{ accountName: "evil:dn" }, "accountName"],
    [{ accountName: "line\nbreak" }, "accountName"],
    [{ accountName: "a".repeat(201) }, "accountName"],
    [{ issuer: "" }, "issuer"],
    [{ issuer: "a:b" }, "issuer"],
  ])("label part %j is refused, naming %s", (override, field) => {
    expectDomainError(
      () => totpUri({ secret: RFC_SECRET, accountName: "alice@example.com", ...override }),
      field,
    );
  });

  test("the QR code is an inline SVG that loads nothing", async () => {
    const svg = await totpQrSvg(totpUri({ secret: RFC_SECRET, accountName: "alice@example.com" }));
    expect(svg.trimStart().startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).not.toMatch(/href|<image|<script|url\(/i);
  });

  test.each([
    "https://example.com",
    "otpauth://hotp/dn:a?secret=X",
    `otpauth://totp/${"a".repeat(2048)}`,
  ])("%j is refused as a QR code URI", (uri) => {
    expect(() => totpQrSvg(uri)).toThrow(DomainError);
    expect(() => totpQrSvg(uri)).toThrow(/^uri: /);
  });
});

describe("recovery codes", () => {
  const FORM = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;

  test("ten distinct, well-formed codes by default, already in normalised form", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(FORM);
      expect(normalizeRecoveryCode(code)).toBe(code);
    }
    expect(generateRecoveryCodes(3)).toHaveLength(3);
  });

  test("codes draw on all 32 symbols, 50 bits each", () => {
    const symbols = new Set(generateRecoveryCodes(100).join("").replaceAll("-", ""));
    // Missing one of 32 symbols in 1000 uniform draws has odds of about e^-31.
    expect(symbols.size).toBe(32);
  });

  test.each([0, -1, 1.5, 101, Number.NaN])("count %d is refused", (count) => {
    expect(() => generateRecoveryCodes(count)).toThrow(/^count: /);
  });

  test.each([
    ["abcde-fghjk", "abcde-fghjk"],
    ["ABCDE fghjk", "abcde-fghjk"],
    ["ABCDE fghij", "abcde-fgh1j"],
    ["abcdefghjk", "abcde-fghjk"],
    ["  ab cd-ef gh-jk  ", "abcde-fghjk"],
    ["abcde\u2013fghjk", "abcde-fghjk"],
    ["OOOOO-LLLLL", "00000-11111"],
    ["oIl01-23456", "01101-23456"],
  ])("%j normalises to %j", (input, normalized) => {
    expect(normalizeRecoveryCode(input)).toBe(normalized);
  });

  test.each([
    "",
    "abcde-fghj",
    "abcde-fghjkm",
    "abcde-fghju",
    "abcde_fghjk",
    "abcde-fghj!",
    `abcde-fghjk${" ".repeat(100)}`,
  ])("%j cannot be a recovery code", (input) => {
    expect(normalizeRecoveryCode(input)).toBeNull();
    expectDomainError(() => hashRecoveryCode(input), "code");
  });

  test("the hash of a generated code matches it typed loosely", () => {
    for (const code of generateRecoveryCodes()) {
      const hash = hashRecoveryCode(code);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      const typed = code.toUpperCase().replace("-", " ").replaceAll("0", "O").replaceAll("1", "l");
      expect(hashRecoveryCode(typed)).toBe(hash);
      expect(hashRecoveryCode(` ${code.replace("-", "")} `)).toBe(hash);
    }
    expect(hashRecoveryCode("ABCDE fghij")).toBe(hashRecoveryCode("abcde-fgh1j"));
    expect(hashRecoveryCode("abcde-fghjk")).not.toBe(hashRecoveryCode("abcde-fghjm"));
  });

  test("the hash is SHA-256 hex of the normalised code", () => {
    // echo -n "abcde-fghjk" | sha256sum
    expect(hashRecoveryCode("ABCDE FGHJK")).toBe(
      "f43fe8875771ca2cb43a28612878e3569ceac3b56c1d88bd558122e69097db18",
    );
  });
});
