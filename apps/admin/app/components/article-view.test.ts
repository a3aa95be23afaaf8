import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { ArticleView, embedUrlOf } from "./article-view.tsx";

const base = {
  organizationId: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a10",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};
const embedded = {
  ...base,
  id: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a11",
  title: "Dry Needling by a Physical Therapist",
  channel: "ChoosePT",
  provider: "youtube" as const,
  url: "https://www.youtube.com/watch?v=abcdefghijk",
  providerId: "abcdefghijk",
  durationSeconds: 125,
  description: null,
};
const linked = { ...embedded, id: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a12", providerId: null };
const reference = {
  ...base,
  id: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a13",
  excerpt: "Superficial dry needling at 2-3 mm reduces soreness.",
  excerptKind: "paraphrase" as const,
  workTitle: "Neck and Arm Pain Syndromes",
  subtitle: null,
  edition: null,
  authors: [{ family: "Fernández de las Peñas", given: "César" }],
  etAl: true,
  publisher: "Elsevier Health Sciences",
  year: 2011,
  pages: null,
  url: null,
  citedStudies: [{ authors: "Gunn et al.", year: 1980, title: null, note: null }],
  tags: [],
};

describe("the article as the public reads it", () => {
  test("a video with a provider id plays in the page; without one it is a link", () => {
    expect(embedUrlOf(embedded)).toBe("https://www.youtube-nocookie.com/embed/abcdefghijk");
    expect(embedUrlOf({ ...embedded, provider: "vimeo", providerId: "76979871" })).toBe(
      "https://player.vimeo.com/video/76979871",
    );
    expect(embedUrlOf(linked)).toBeNull();
  });

  test("renders blocks in order: embeds, links, citations with the excerpt, callouts", () => {
    const html = renderToStaticMarkup(
      createElement(ArticleView, {
        title: "What is dry needling?",
        summary: "A guide.",
        blocks: [
          { type: "heading", level: 2, text: "Watch" },
          { type: "video", videoId: embedded.id },
          { type: "video", videoId: linked.id },
          { type: "literature", referenceId: reference.id },
          { type: "callout", tone: "tip", title: "After a session", body: "Ice helps." },
          { type: "video", videoId: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a99" },
        ],
        author: null,
        publishedOn: "2026-10-01",
        tags: ["aftercare"],
        videos: [embedded, linked],
        references: [reference],
      }),
    );
    expect(html).toContain('<h1 class="article__title">What is dry needling?</h1>');
    expect(html.match(/<iframe/g)).toHaveLength(1);
    expect(html).toContain('title="Dry Needling by a Physical Therapist (ChoosePT)"');
    expect(html).toContain("watch on Youtube");
    expect(html).toContain(
      "Fernández de las Peñas, C., et al. (2011). <i>Neck and Arm Pain Syndromes.</i> Elsevier Health Sciences.",
    );
    expect(html).toContain("Superficial dry needling at 2-3 mm reduces soreness.");
    expect(html).toContain("Cites Gunn et al. (1980).");
    expect(html).toContain('aria-label="After a session"');
    expect(html).toContain("This video is not in the library.");
    expect(html).toContain('<time dateTime="2026-10-01">October 1, 2026</time>');
  });
});
