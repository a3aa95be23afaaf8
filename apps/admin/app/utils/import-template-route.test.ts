import { COMPLETION_COLUMNS, ROSTER_COLUMNS } from "@dn/schema";
import { describe, expect, test } from "vitest";
import { loader } from "~/routes/import.template.$file.tsx";

function get(file: string) {
  return loader({
    request: new Request(`http://admin.test/import/template/${file}`),
    params: { file },
    context: {},
  });
}

describe("the import template route", () => {
  test.each([
    ["roster.csv", ROSTER_COLUMNS],
    ["completions.csv", COMPLETION_COLUMNS],
  ] as const)(
    "/import/template/%s is a CSV download of the importer's header and one example",
    async (file, columns) => {
      const response = get(file);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${file}"`);
      const lines = (await response.text()).split("\r\n");
      expect(lines[0]).toBe(columns.join(","));
      expect(lines[1]?.split(",")).toHaveLength(columns.length);
      expect(lines[2]).toBe("");
    },
  );

  test.each(["staff.csv", "roster", "roster.txt"])("%s is not found", (file) => {
    let thrown: unknown;
    try {
      get(file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
  });
});
