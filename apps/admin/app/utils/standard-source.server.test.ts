import { describe, expect, test } from "vitest";
import {
  newStandardTemplate,
  parseStandardText,
  problemsFromApi,
  standardToYaml,
} from "./standard-source.server.ts";

const TEMPLATE = newStandardTemplate("2026-11-27");

describe("the standard editor's text", () => {
  test("the template is a valid standard, and a document survives YAML and back", () => {
    const parsed = parseStandardText(TEMPLATE);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const again = parseStandardText(standardToYaml(parsed.document));
    expect(again).toEqual(parsed);
  });

  test("each problem names the field and its line", () => {
    const text = TEMPLATE.replace("minTotal: 27", "minTotal: -1").replace(
      "kind: clinic-policy",
      "kind: clinic-policy\ncolour: teal",
    );
    const parsed = parseStandardText(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const lines = text.split("\n");
    const byPath = Object.fromEntries(parsed.problems.map((p) => [p.path, p]));
    expect(byPath.colour?.message).toBe("is not a known field here");
    expect(lines[(byPath.colour?.line ?? 0) - 1]).toBe("colour: teal");
    expect(byPath["requirements.0.minTotal"]?.message).toMatch(/negative|more than 0/);
    expect(lines[(byPath["requirements.0.minTotal"]?.line ?? 0) - 1]).toContain("minTotal: -1");
  });

  test("a syntax error is reported with its line", () => {
    const parsed = parseStandardText("id: x\ntitle: [unclosed\n");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems[0]?.path).toBe("(syntax)");
    expect(parsed.problems[0]?.line).toBeGreaterThan(0);
  });

  test("API field errors inside `document` point at the text", () => {
    const [problem] = problemsFromApi(TEMPLATE, {
      "document.version": ["must be 2"],
    });
    expect(problem).toEqual({ path: "version", line: 3, message: "must be 2" });
  });
});
