import { type FieldMetadata, getInputProps, getSelectProps } from "@conform-to/react";
import { type Jurisdiction, PROFESSIONS, type Profession } from "@dn/schema";
import { Field } from "~/components/forms.tsx";
import { PROFESSION_LABELS } from "~/utils/practitioner-form.ts";

export type ClinicOption = { id: string; name: string; jurisdiction: Jurisdiction };

/** The practitioner's details, shared by the add and edit forms. */
export function PractitionerFields({
  fields,
  clinics,
}: {
  fields: {
    name: FieldMetadata<string>;
    email: FieldMetadata<string | null>;
    profession: FieldMetadata<Profession>;
    clinicId: FieldMetadata<string>;
  };
  clinics: ClinicOption[];
}) {
  const { name, email, profession, clinicId } = fields;
  return (
    <>
      <Field label="Name" htmlFor={name.id} errorId={name.errorId} errors={name.errors}>
        <input {...getInputProps(name, { type: "text" })} maxLength={200} autoComplete="off" />
      </Field>
      <Field
        label="Email (optional)"
        htmlFor={email.id}
        errorId={email.errorId}
        errors={email.errors}
      >
        <input {...getInputProps(email, { type: "email" })} maxLength={254} autoComplete="off" />
      </Field>
      <div className="row">
        <Field
          label="Profession"
          htmlFor={profession.id}
          errorId={profession.errorId}
          errors={profession.errors}
        >
          <select {...getSelectProps(profession)}>
            <option value="">Choose…</option>
            {PROFESSIONS.map((value) => (
              <option key={value} value={value}>
                {PROFESSION_LABELS[value]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Clinic"
          htmlFor={clinicId.id}
          errorId={clinicId.errorId}
          errors={clinicId.errors}
        >
          <select {...getSelectProps(clinicId)}>
            <option value="">Choose a clinic…</option>
            {clinics.map((clinic) => (
              <option key={clinic.id} value={clinic.id}>
                {clinic.name} ({clinic.jurisdiction.slice(3)})
              </option>
            ))}
          </select>
        </Field>
      </div>
    </>
  );
}
