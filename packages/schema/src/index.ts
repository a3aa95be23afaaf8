export * from "./audit.ts";
export * from "./common.ts";
export * from "./jurisdiction.ts";
export * from "./organization.ts";
export * from "./practitioner.ts";
export * from "./topic.ts";
export * from "./training-record.ts";
export * from "./user.ts";
