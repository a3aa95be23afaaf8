export * from "./bundle.ts";
export * from "./csv.ts";
export * from "./files.ts";
export * from "./json.ts";
export * from "./keys.ts";
export * from "./model.ts";
export * from "./pdf.ts";
export * from "./schema-json.ts";
