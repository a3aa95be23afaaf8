import { z } from "zod";
import { formSchema } from "./form-schema.ts";

/** The standard editor's one field: the document's text. */
export const StandardSourceFormSchema = formSchema(
  z.object({
    source: z
      .string({ error: "must be text" })
      .trim()
      .min(1, { error: "write the standard document here" })
      .max(200_000, { error: "must be at most 200000 characters" }),
  }),
);
