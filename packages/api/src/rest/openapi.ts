/**
 * The OpenAPI 3.1 document of the regulator REST API, assembled from the same zod schemas the
 * API validates with (zod 4 `z.toJSONSchema`, JSON Schema 2020-12 as OpenAPI 3.1 uses). Served at
 * /openapi.json and published at docs/openapi.json (a test keeps them equal).
 */
import {
  ApiTokenSchema,
  ComplianceExportSchema,
  CreateExportInputSchema,
  ExportHeaderSchema,
  ExportJobSchema,
  VerdictRowSchema,
} from "@dn/schema";
import { z } from "zod";

function component(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const error = (description: string) => json(ref("Error"), description);

const scopeParameters = [
  {
    name: "asOf",
    in: "query",
    required: true,
    description: "The date to state compliance for (YYYY-MM-DD)",
    schema: { type: "string", format: "date" },
  },
  {
    name: "knownAt",
    in: "query",
    required: false,
    description: "Only record versions recorded by this instant (ISO 8601)",
    schema: { type: "string", format: "date-time" },
  },
  {
    name: "standardId",
    in: "query",
    required: false,
    description: "A standard to evaluate; repeat for several; absent means all that apply",
    schema: { type: "array", items: { type: "string" } },
    style: "form",
    explode: true,
  },
  {
    name: "clinicId",
    in: "query",
    required: false,
    description: "Only this clinic's practitioners",
    schema: { type: "string", format: "uuid" },
  },
  {
    name: "practitionerId",
    in: "query",
    required: false,
    description: "Only this practitioner",
    schema: { type: "string", format: "uuid" },
  },
];

const idParameter = {
  name: "id",
  in: "path",
  required: true,
  description: "The export's id",
  schema: { type: "string", format: "uuid" },
};

const refusals = {
  "400": error("Bad input; `error.field` names the parameter or field at fault"),
  "401": error("No token, or an unknown, expired or revoked one"),
  "404": error("Nothing with this id in the token's organization"),
};

export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "dn regulator API",
      version: "1.0.0",
      description:
        "Read-only access for regulators and outside auditors to one organization's dry-needling compliance. Authenticate with a token issued by the organization's manager or admin (`Authorization: Bearer dnr_...`). Tokens expire, can be revoked, and may be limited to one jurisdiction; every request is recorded in the organization's audit trail. Bundles can be checked offline with `dn verify`; the organization's public key is at /.well-known/dn-export-key/{organizationId}.",
    },
    servers: [{ url: "/" }],
    security: [{ regulatorToken: [] }],
    paths: {
      "/rest/v1/verdicts": {
        get: {
          operationId: "listVerdicts",
          summary: "One verdict per practitioner and standard, as of a date",
          parameters: scopeParameters,
          responses: {
            "200": json(
              {
                type: "object",
                required: ["header", "verdicts"],
                properties: {
                  header: ref("ExportHeader"),
                  verdicts: { type: "array", items: ref("VerdictRow") },
                },
              },
              "The header (scope, standards applied) and the verdicts",
            ),
            ...refusals,
          },
        },
      },
      "/rest/v1/compliance": {
        get: {
          operationId: "getCompliance",
          summary: "The full JSON export (dn-compliance-export v1), streamed",
          parameters: scopeParameters,
          responses: { "200": json(ref("ComplianceExport"), "The export document"), ...refusals },
        },
      },
      "/rest/v1/exports": {
        get: {
          operationId: "listExports",
          summary: "The exports this token asked for, newest first",
          responses: {
            "200": json(
              {
                type: "object",
                required: ["items"],
                properties: { items: { type: "array", items: ref("ExportJob") } },
              },
              "Exports",
            ),
            "401": refusals["401"],
          },
        },
        post: {
          operationId: "createExport",
          summary: "Queue an export (bundle, JSON, CSV or PDF); poll it, then download it",
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("CreateExportInput") } },
          },
          responses: { "202": json(ref("ExportJob"), "The queued export"), ...refusals },
        },
      },
      "/rest/v1/exports/{id}": {
        get: {
          operationId: "getExport",
          summary: "One export: status, progress, file name and SHA-256",
          parameters: [idParameter],
          responses: { "200": json(ref("ExportJob"), "The export"), ...refusals },
        },
      },
      "/rest/v1/exports/{id}/download": {
        get: {
          operationId: "downloadExport",
          summary: "The finished export's file",
          parameters: [idParameter],
          responses: {
            "200": {
              description: "The file; `x-content-sha256` carries its SHA-256",
              content: {
                "application/octet-stream": { schema: { type: "string", format: "binary" } },
              },
            },
            ...refusals,
          },
        },
      },
      "/.well-known/dn-export-key/{organizationId}": {
        get: {
          operationId: "getExportKey",
          summary: "The organization's Ed25519 public key (PEM) that signs its bundles",
          security: [],
          parameters: [
            {
              name: "organizationId",
              in: "path",
              required: true,
              schema: { type: "string", format: "uuid" },
            },
          ],
          responses: {
            "200": {
              description: "SPKI PEM; `x-key-fingerprint` is the SHA-256 of its DER encoding",
              content: { "application/x-pem-file": { schema: { type: "string" } } },
            },
            "404": error("No such organization"),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        regulatorToken: {
          type: "http",
          scheme: "bearer",
          description: "A regulator token (`dnr_...`) from the organization's admin page",
        },
      },
      schemas: {
        ExportHeader: component(ExportHeaderSchema, "output"),
        VerdictRow: component(VerdictRowSchema, "output"),
        ComplianceExport: component(ComplianceExportSchema, "output"),
        ExportJob: component(ExportJobSchema, "output"),
        CreateExportInput: component(CreateExportInputSchema, "input"),
        ApiToken: component(ApiTokenSchema, "output"),
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                field: { type: ["string", "null"] },
              },
            },
          },
        },
      },
    },
  };
}

/** The text of docs/openapi.json. */
export function openApiDocumentText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
