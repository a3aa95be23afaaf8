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
      name: "assigned clinic policies and assignments follow the state rules; exclusions win",
      given: input({
        clinicJurisdiction: "US-MD",
        licenses: [{ jurisdiction: "US-MD", status: "active" }],
        available: [...pack, "acme-dn-policy"],
        clinicPolicyIds: ["acme-dn-policy"],
        include: ["acme-dn-policy", "ama-acupuncture-300", "not-a-standard"],
        exclude: ["us-md-pt-ce"],
      }),
      want: ["us-md-dn", "acme-dn-policy", "ama-acupuncture-300"],
    },
    {
      // Issue 14: a policy assigned only to the Baltimore clinic judged Tampa staff too.
      name: "a published policy assigned elsewhere (not to them or their clinic) does not apply",
      given: input({
        clinicJurisdiction: "US-FL",
        licenses: [{ jurisdiction: "US-FL", status: "active" }],
        available: [...pack, "acme-dn-policy"],
        clinicPolicyIds: ["acme-dn-policy"],
      }),
      want: ["us-fl-dn"],
    },
    {
      name: "a policy that is only a draft (not available) applies to nobody, even when assigned",
      given: input({
        clinicJurisdiction: "US-MD",
        licenses: [{ jurisdiction: "US-MD", status: "active" }],
        clinicPolicyIds: ["acme-dn-policy"],
        include: ["acme-dn-policy"],
      }),
      want: ["us-md-dn", "us-md-pt-ce"],
    },
    {
      name: "an exclusion wins over a policy assigned to the whole organization",
      given: input({
        clinicJurisdiction: "US-MD",
        available: [...pack, "acme-dn-policy"],
        clinicPolicyIds: ["acme-dn-policy"],
        include: ["acme-dn-policy"],
        exclude: ["acme-dn-policy"],
      }),
      want: ["us-md-dn"],
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

  test("the Baltimore clinic's policy applies in Baltimore, not in Tampa, and says why", () => {
    const policy = {
      available: [...pack, "acme-dn-policy"],
      clinicPolicyIds: ["acme-dn-policy"],
    };
    // What applicableFor gives: the include assignments that reach each practitioner.
    const baltimore = applicableStandards(
      input({ ...policy, clinicJurisdiction: "US-MD", include: ["acme-dn-policy"] }),
    );
    const tampa = applicableStandards(input({ ...policy, clinicJurisdiction: "US-FL" }));
    expect(baltimore.find((s) => s.standardId === "acme-dn-policy")).toEqual({
      standardId: "acme-dn-policy",
      reasons: ["clinic-policy"],
      explanation: "a policy of the organization, assigned by a manager",
    });
    expect(tampa.map((s) => s.standardId)).toEqual(["us-fl-dn"]);
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
