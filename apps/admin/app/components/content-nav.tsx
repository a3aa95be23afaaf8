import { NavLink } from "@remix-run/react";

const LINKS = [
  { to: "/content", label: "Articles", end: true },
  { to: "/content/literature", label: "Literature" },
  { to: "/content/videos", label: "Videos" },
  { to: "/content/authors", label: "Authors" },
  { to: "/content/courses", label: "Course catalog" },
  { to: "/content/comments", label: "Comments" },
  { to: "/follow-ups", label: "Follow-ups" },
  { to: "/content/import", label: "Import Markdown" },
] as const;

/** The content library's sections. */
export function ContentNav() {
  return (
    <nav aria-label="Content library" className="subnav">
      <ul>
        {LINKS.map((link) => (
          <li key={link.to}>
            <NavLink to={link.to} end={"end" in link ? link.end : false}>
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
