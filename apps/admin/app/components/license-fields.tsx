import { type FieldMetadata, getInputProps, getSelectProps } from "@conform-to/react";
import {
  JURISDICTION_CODES,
  JURISDICTIONS,
  type Jurisdiction,
  LICENSE_STATUSES,
  type LicenseStatus,
} from "@dn/schema";
import { Field } from "~/components/forms.tsx";
import { LICENSE_STATUS_LABELS } from "~/utils/license-form.ts";

/** A license's fields, shared by the add form and the edit page. */
export function LicenseFields({
  fields,
}: {
  fields: {
    jurisdiction: FieldMetadata<Jurisdiction>;
    number: FieldMetadata<string>;
    issuedOn: FieldMetadata<string>;
    expiresOn: FieldMetadata<string | null>;
    status: FieldMetadata<LicenseStatus>;
  };
}) {
  const { jurisdiction, number, issuedOn, expiresOn, status } = fields;
  return (
    <>
      <div className="row">
        <Field
          label="State"
          htmlFor={jurisdiction.id}
          errorId={jurisdiction.errorId}
          errors={jurisdiction.errors}
        >
          <select {...getSelectProps(jurisdiction)}>
            <option value="">Choose a state…</option>
            {JURISDICTION_CODES.map((code) => (
              <option key={code} value={code}>
                {JURISDICTIONS[code]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="License number"
          htmlFor={number.id}
          errorId={number.errorId}
          errors={number.errors}
        >
          <input {...getInputProps(number, { type: "text" })} maxLength={50} autoComplete="off" />
        </Field>
      </div>
      <div className="row">
        <Field
          label="Issued on"
          htmlFor={issuedOn.id}
          errorId={issuedOn.errorId}
          errors={issuedOn.errors}
        >
          <input {...getInputProps(issuedOn, { type: "date" })} />
        </Field>
        <Field
          label="Expires on (optional)"
          htmlFor={expiresOn.id}
          errorId={expiresOn.errorId}
          errors={expiresOn.errors}
        >
          <input {...getInputProps(expiresOn, { type: "date" })} />
        </Field>
        <Field label="Status" htmlFor={status.id} errorId={status.errorId} errors={status.errors}>
          <select {...getSelectProps(status)}>
            {LICENSE_STATUSES.map((value) => (
              <option key={value} value={value}>
                {LICENSE_STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </>
  );
}
