/**
 * The organization's settings (admins): its name and sign-in rules, its clinics, single sign-on.
 * Each section is a child route with its own heading; this layout only adds their tabs.
 */
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import complianceStyles from "~/compliance.css?url";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { hasPermission, type PermissionCheck } from "~/utils/permissions.ts";
import { requireUserWithPermission } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUserWithPermission(request, "update:organization");
  return { permissions: me.permissions };
}

/** Each tab with the permission its page asks for (auth.me decides which are shown). */
const SECTIONS: readonly { to: string; label: string; end: boolean; needs: PermissionCheck }[] = [
  { to: "/settings", label: "Organization", end: true, needs: "update:organization" },
  { to: "/settings/clinics", label: "Clinics", end: false, needs: "update:clinic" },
  { to: "/settings/sso", label: "Single sign-on", end: false, needs: "read:oidc-provider" },
  { to: "/settings/jobs", label: "Background jobs", end: false, needs: "read:job" },
];

export default function SettingsLayout() {
  const me = useLoaderData<typeof loader>();
  const sections = SECTIONS.filter((section) => hasPermission(me, section.needs));
  return (
    <>
      <nav aria-label="Settings">
        <ul className="subnav">
          {sections.map((section) => (
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
