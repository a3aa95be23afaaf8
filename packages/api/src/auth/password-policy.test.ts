import { PasswordSchema } from "@dn/schema";
import { describe, expect, test } from "vitest";
import {
  checkNewPassword,
  commonPasswords,
  PASSWORD_MAX_LENGTH,
  passwordLength,
} from "./password-policy.ts";

const jane = { email: "jane.doe@example.com", name: "Jane Mariana Ortiz" };

/** 128 code points of prose that neither repeats a unit nor walks a sequence. */
const longest = "the quick brown fox jumps over the lazy dog, "
  .repeat(3)
  .slice(0, PASSWORD_MAX_LENGTH);

type Row = [label: string, password: string, problem: string | null];

const table: Row[] = [
  // Accepted: length does the work; spaces, punctuation and any script are fine.
  ["a 12-character passphrase with spaces", "blue cat sky", null],
  ["a long passphrase", "correct horse battery staple", null],
  ["all lower case, no digits or symbols", "tangerinewolfpaper", null],
  ["Esperanto with diacritics", "ĉiu ŝafo bêlas", null],
  ["twelve Japanese characters", "日本語のパスワードですね", null],
  ["emoji and mixed scripts", "🦊 fox in the 雪 storm", null],
  ["exactly the maximum length", longest, null],
  ["a repeated unit as long as the minimum", "hello world!hello world!", null],
  ["contains a short part of the local part", "doe a deer, a female deer", null],

  // Length, counted in code points after NFKC.
  ["empty", "", "must be at least 12 characters"],
  ["eleven characters", "blue cat sk", "must be at least 12 characters"],
  [
    "twelve code points typed, eleven after NFKC (e + combining acute)",
    "cafe\u0301 au lai",
    "must be at least 12 characters",
  ],
  ["one over the maximum", `${longest}!`, "must be at most 128 characters"],
  ["megabytes", "x".repeat(1_000_000), "must be at most 128 characters"],

  // The common list, compared lower-cased (entries verified present in common-passwords.txt).
  ["a common password", "qwerty123456", "is one of the most common passwords; choose another"],
  [
    "a common password in capitals",
    "LeaveMeAlone",
    "is one of the most common passwords; choose another",
  ],
  ["a common keyboard walk", "1qaz2wsx3edc", "is one of the most common passwords; choose another"],

  // Repeats and sequences.
  ["one character repeated", "aaaaaaaaaaaa", "must not be one character repeated"],
  ["one emoji repeated", "🦊".repeat(12), "must not be one character repeated"],
  ["a short unit repeated", "abcabcabcabc", "must not be a short pattern repeated"],
  ["a word doubled", "monkeymonkey", "must not be a short pattern repeated"],
  [
    "digits counting up, wrapping at 9",
    "123456789012",
    "must not be an obvious sequence such as 123456 or abcdef",
  ],
  ["the alphabet", "abcdefghijkl", "must not be an obvious sequence such as 123456 or abcdef"],
  [
    "the alphabet backwards, in capitals",
    "LKJIHGFEDCBA",
    "must not be an obvious sequence such as 123456 or abcdef",
  ],
  [
    "the top keyboard row and on",
    "qwertyuiopas",
    "must not be an obvious sequence such as 123456 or abcdef",
  ],

  // The user's own email and name.
  ["the email itself", "jane.doe@example.com", "must not contain your email address"],
  ["the email in other case", "Jane.Doe@Example.COM", "must not contain your email address"],
  ["the local part with extras", "jane.doe-2026!!", "must not contain your email address"],
  ["a word of the local part", "my jane secret", "must not contain your email address"],
  ["a word of the name", "ortiz for president", "must not contain your name"],
  [
    "a word of the name, full-width letters",
    "ｍａｒｉａｎａ rules ok",
    "must not contain your name",
  ],
];

describe("checkNewPassword", () => {
  test.each(table)("%s", (_label, password, problem) => {
    expect(checkNewPassword(password, jane)).toBe(problem);
  });

  test("a password refused for one user is accepted for another", () => {
    expect(checkNewPassword("ortiz for president", jane)).toBe("must not contain your name");
    expect(checkNewPassword("ortiz for president", { email: "sam@example.com" })).toBeNull();
  });

  test("a short local part does not refuse every password containing it", () => {
    const ann = { email: "ann@example.com" };
    expect(checkNewPassword("planning ahead now", ann)).toBeNull();
    expect(checkNewPassword("x ann@example.com", ann)).toBe("must not contain your email address");
  });

  test("a value that is not text is refused", () => {
    expect(checkNewPassword(12345678901234 as unknown as string, jane)).toBe("must be text");
  });
});

describe("PasswordSchema, the length rule clients see first", () => {
  const lengthMessages = new Set([
    "must be at least 12 characters",
    "must be at most 128 characters",
  ]);
  // Every row of the table: the schema refuses exactly the length problems, with the same words.
  test.each(table)("%s", (_label, password, problem) => {
    const result = PasswordSchema.safeParse(password);
    const expected = problem !== null && lengthMessages.has(problem) ? problem : null;
    expect(result.success ? null : result.error.issues.map((issue) => issue.message)).toEqual(
      expected === null ? null : [expected],
    );
  });

  test("a value that is not text is refused", () => {
    expect(PasswordSchema.safeParse(12345678901234).error?.issues[0]?.message).toBe("must be text");
  });
});

describe("passwordLength", () => {
  test.each([
    ["blue cat sky", 12],
    ["cafe\u0301", 4],
    ["🦊🦊", 2],
    ["ｆｕｌｌ", 4],
  ])("%j counts %i code points", (password, length) => {
    expect(passwordLength(password)).toBe(length);
  });
});

describe("the common-password list", () => {
  test("ships at least 9,000 lower-cased entries and no header lines", () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThanOrEqual(9000);
    for (const entry of list) {
      expect(entry).toBe(entry.toLowerCase());
      expect(entry.startsWith("#")).toBe(false);
      expect(entry).not.toBe("");
    }
    expect(list.has("password")).toBe(true);
    expect(list.has("123456")).toBe(true);
  });

  test("is loaded once and then reused", () => {
    expect(commonPasswords()).toBe(commonPasswords());
  });
});
