import { NavLink } from "@remix-run/react";

/** The tabs of one practitioner's compliance pages. */
export function ComplianceNav({ practitionerId }: { practitionerId: string }) {
  const base = `/practitioners/${practitionerId}`;
  return (
    <nav aria-label="Compliance views">
      <ul className="subnav">
        <li>
          <NavLink to={`${base}/compliance`} end>
            Compliance
          </NavLink>
        </li>
        <li>
          <NavLink to={`${base}/portability`} end>
            Portability
          </NavLink>
        </li>
        <li>
          <NavLink to={`${base}/what-if`} end>
            What-if planner
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}
