export * from "./citation.ts";
export * from "./demo-article.ts";
export * from "./library.ts";
export * from "./markdown.ts";
export * from "./privacy.ts";
