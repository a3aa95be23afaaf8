import { type FieldMetadata, getInputProps, getSelectProps } from "@conform-to/react";
import { JURISDICTION_CODES, JURISDICTIONS, type Jurisdiction } from "@dn/schema";
import { Field } from "~/components/forms.tsx";
import type { TimeZoneChoices } from "~/utils/time-zones.ts";

/** A clinic's name, state and time zone: the set-up page and the clinic settings share them. */
export function ClinicFields({
  fields,
  timeZones,
  labels = {},
}: {
  fields: {
    name: FieldMetadata<string>;
    jurisdiction: FieldMetadata<Jurisdiction>;
    timeZone: FieldMetadata<string>;
  };
  timeZones: TimeZoneChoices;
  labels?: { name?: string };
}) {
  const { name, jurisdiction, timeZone } = fields;
  const hintId = `${timeZone.id}-hint`;
  return (
    <>
      <Field
        label={labels.name ?? "Clinic name"}
        htmlFor={name.id}
        errorId={name.errorId}
        errors={name.errors}
      >
        <input {...getInputProps(name, { type: "text" })} maxLength={200} autoComplete="off" />
      </Field>
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
                {JURISDICTIONS[code]} ({code.slice(3)})
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Time zone"
          htmlFor={timeZone.id}
          hint="Deadlines fall due, and alerts and dashboards count days, by the clinic's local date."
          hintId={hintId}
          errorId={timeZone.errorId}
          errors={timeZone.errors}
        >
          <select {...getSelectProps(timeZone, { ariaDescribedBy: hintId })}>
            <option value="">Choose a time zone…</option>
            <optgroup label="United States">
              {timeZones.common.map((zone) => (
                <option key={zone.value} value={zone.value}>
                  {zone.label}
                </option>
              ))}
            </optgroup>
            <optgroup label="Every time zone">
              {timeZones.others.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll("_", " ")}
                </option>
              ))}
            </optgroup>
          </select>
        </Field>
      </div>
    </>
  );
}
