import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { navigationFor, ROLE_LABELS } from "~/utils/permissions.ts";
import { requireUser } from "~/utils/session.server.ts";
import { useHydrated } from "~/utils/use-hydrated.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  return {
    user: { name: me.user.name, email: me.user.email, role: me.user.role },
    permissions: me.permissions,
    organization: { id: me.organization.id, name: me.organization.name },
    memberships: me.memberships.map((m) => ({
      organizationId: m.organizationId,
      organizationName: m.organizationName,
    })),
  };
}

export default function AppLayout() {
  const { user, permissions, organization, memberships } = useLoaderData<typeof loader>();
  const navigation = navigationFor({ permissions });
  // On a phone the navigation folds into a menu once the page is interactive; without script
  // it stays open, so every link is always reachable.
  const hydrated = useHydrated();
  const [menuOpen, setMenuOpen] = useState(false);
  const collapsed = hydrated && !menuOpen;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className={collapsed ? "app-header app-header--collapsed" : "app-header"}>
        <div className="app-header__inner">
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              dn
            </span>
            <span className="brand__org">{organization.name}</span>
          </Link>
          {hydrated ? (
            <button
              type="button"
              className="button button--quiet menu-toggle"
              aria-expanded={menuOpen}
              aria-controls="app-menu"
              onClick={() => setMenuOpen(!menuOpen)}
            >
              {menuOpen ? "Close menu" : "Menu"}
            </button>
          ) : null}
          <nav aria-label="Main" className="main-nav" id="app-menu">
            <ul>
              {navigation.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} onClick={() => setMenuOpen(false)}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          {memberships.length > 1 ? (
            <Form method="post" action="/switch-organization" className="org-switcher">
              <label htmlFor="organization-switch" className="visually-hidden">
                Organization
              </label>
              <select id="organization-switch" name="organizationId" defaultValue={organization.id}>
                {memberships.map((m) => (
                  <option key={m.organizationId} value={m.organizationId}>
                    {m.organizationName}
                  </option>
                ))}
              </select>
              <button type="submit" className="button button--quiet">
                Switch
              </button>
            </Form>
          ) : null}
          <div className="user-menu">
            <p className="user-menu__who">
              <span className="user-menu__name">{user.name}</span>
              <span className="user-menu__role">{ROLE_LABELS[user.role]}</span>
            </p>
            <Form method="post" action="/logout">
              <button type="submit" className="button button--quiet">
                Log out
              </button>
            </Form>
          </div>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

export function ErrorBoundary() {
  return (
    <main id="main" className="page page--narrow">
      <GeneralErrorBoundary />
    </main>
  );
}
