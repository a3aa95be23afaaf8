import { unstable_coerceFormValue as coerceFormValue } from "@conform-to/zod/v4";
import type { $ZodType } from "zod/v4/core";

/**
 * Wraps a @dn/schema input schema so it reads form submissions, without changing its rules:
 * an empty optional field is "not given" (its optional/nullable wrapper strips ""), "12.5" is a
 * number, and a select sending "true"/"false" is a boolean. A required text field left empty
 * stays "" so the schema answers "must not be empty" rather than "must be text".
 * Parse with `parseWithZod(formData, { schema, disableAutoCoercion: true })`.
 */
export function formSchema<Schema extends $ZodType>(schema: Schema): Schema {
  return coerceFormValue(schema, {
    customize: (type) => (type._zod.def.type === "string" ? (value) => value : null),
    defaultCoercion: {
      boolean: (value) => {
        if (value === "true" || value === "on") return true;
        if (value === "false") return false;
        return value;
      },
    },
  });
}
