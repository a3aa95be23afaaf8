/**
 * The organization's settings (admins): its name and sign-in rules, its clinics, single sign-on.
 * Each section is a child route with its own heading; this layout only adds their tabs.
 */
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import complianceStyles from "~/compliance.css?url";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { requireUserWithPermission } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "update:organization");
  return null;
}

const SECTIONS = [
  { to: "/settings", label: "Organization", end: true },
  { to: "/settings/clinics", label: "Clinics", end: false },
  { to: "/settings/sso", label: "Single sign-on", end: false },
] as const;

export default function SettingsLayout() {
  return (
    <>
      <nav aria-label="Settings">
        <ul className="subnav">
          {SECTIONS.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to} end={section.end}>
                {section.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
