import { z } from "zod";
import { EmailSchema, IdSchema, IsoInstantSchema, NameSchema } from "./common.ts";

export const ROLES = ["admin", "manager", "practitioner", "auditor"] as const;
export const RoleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` });
export type Role = z.infer<typeof RoleSchema>;

export const UserSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  email: EmailSchema,
  name: NameSchema,
  role: RoleSchema,
  /** Set for users with the practitioner role: the practitioner they are. */
  practitionerId: IdSchema.nullable(),
  createdAt: IsoInstantSchema,
});
export type User = z.infer<typeof UserSchema>;

export const PasswordSchema = z
  .string({ error: "must be text" })
  .min(8, { error: "must be at least 8 characters" })
  .max(200, { error: "must be at most 200 characters" });

export const LoginInputSchema = z.object({
  email: EmailSchema,
  password: z.string({ error: "must be text" }).min(1, { error: "is required" }).max(200),
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

export const SessionSchema = z.object({
  token: z.string(),
  expiresAt: IsoInstantSchema,
  user: UserSchema,
});
export type Session = z.infer<typeof SessionSchema>;
