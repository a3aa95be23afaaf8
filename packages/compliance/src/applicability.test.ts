import { listStandardIds } from "@dn/standards";
import { describe, expect, test } from "vitest";
import {
  type ApplicabilityInput,
  applicableStandardIds,
  applicableStandards,
  uncoveredJurisdictions,
} from "./applicability.ts";

const pack = listStandardIds();

function input(overrides: Partial<ApplicabilityInput>): ApplicabilityInput {
  return { clinicJurisdiction: null, licenses: [], available: pack, ...overrides };
}

describe("applicableStandardIds", () => {
  test.each([
    {
      name: "the clinic's state DN rule, and a Maryland license's DN and CE rules",
      given: input({
        clinicJurisdiction: "US-MD",
        licenses: [{ jurisdiction: "US-MD", status: "active" }],
      }),
      want: ["us-md-dn", "us-md-pt-ce"],
    },
    {
      name: "a license in a state without a CE standard brings only its DN rule",
      given: input({
        clinicJurisdiction: "US-MD",
        licenses: [
          { jurisdiction: "US-MD", status: "active" },
          { jurisdiction: "US-VA", status: "active" },
        ],
      }),
      want: ["us-md-dn", "us-va-dn", "us-md-pt-ce"],
    },
    {
      name: "an expired or suspended license brings nothing",
      given: input({
        clinicJurisdiction: "US-FL",
        licenses: [
          { jurisdiction: "US-MD", status: "expired" },
          { jurisdiction: "US-VA", status: "suspended" },
        ],
      }),
      want: ["us-fl-dn"],
    },
    {
      name: "a state with no standard on file (Texas DN) is left out, its CE rule is not",
      given: input({
        clinicJurisdiction: "US-TX",
        licenses: [{ jurisdiction: "US-TX", status: "active" }],
      }),
      want: ["us-tx-pt-ce"],
    },
    {
      name: "clinic policies and assignments follow the state rules; exclusions win",
      given: input({
        clinicJurisdiction: "US-MD",
        licenses: [{ jurisdiction: "US-MD", status: "active" }],
        available: [...pack, "acme-dn-policy"],
        clinicPolicyIds: ["acme-dn-policy"],
        include: ["ama-acupuncture-300", "not-a-standard"],
        exclude: ["us-md-pt-ce"],
      }),
      want: ["us-md-dn", "acme-dn-policy", "ama-acupuncture-300"],
    },
  ])("$name", ({ given, want }) => {
    expect(applicableStandardIds(given)).toEqual(want);
  });

  test("a standard with several reasons lists each, and explains them", () => {
    const [md] = applicableStandards(
      input({
        clinicJurisdiction: "US-MD",
        licenses: [{ jurisdiction: "US-MD", status: "active" }],
      }),
    );
    expect(md).toEqual({
      standardId: "us-md-dn",
      reasons: ["clinic-jurisdiction", "license"],
      explanation: "the clinic is in Maryland; holds an active Maryland license",
    });
  });

  test("names the jurisdictions whose DN rules are not on file", () => {
    expect(
      uncoveredJurisdictions(
        input({
          clinicJurisdiction: "US-TX",
          licenses: [
            { jurisdiction: "US-MD", status: "active" },
            { jurisdiction: "US-OK", status: "active" },
          ],
        }),
      ),
    ).toEqual(["US-OK", "US-TX"]);
  });
});
