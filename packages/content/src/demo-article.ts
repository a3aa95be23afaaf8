/**
 * An original article about dry needling, written for dn's demo library. It embeds the real
 * videos and literature references of `library.ts`, by the ids they get once stored.
 */
import type { ArticleContentInput, CreateAuthorInput } from "@dn/schema";
import type { LiteratureKey, VideoKey } from "./library.ts";

export const DEMO_AUTHOR: CreateAuthorInput = {
  name: "Renée Castellano",
  credentials: ["PT", "DPT"],
  bio: "Clinical lead for dry needling at Harbor Physical Therapy Group. Writes the clinic's patient education library.",
  contactEmail: "renee.castellano@harbor-pt.example",
};

export const DEMO_ARTICLE_SLUG = "what-is-dry-needling";

export interface DemoArticleIds {
  authorId: string | null;
  videos: Record<VideoKey, string>;
  literature: Record<LiteratureKey, string>;
}

/** "What is dry needling?": the demo library's main article. */
export function demoArticle(ids: DemoArticleIds): ArticleContentInput {
  return {
    slug: DEMO_ARTICLE_SLUG,
    title: "What is dry needling? A patient's guide",
    summary:
      "What happens in a dry needling session, how it differs from acupuncture, who may perform it, what the research says, and how to look after yourself afterwards.",
    authorId: ids.authorId,
    tags: ["dry-needling", "trigger-points", "aftercare", "regulation"],
    blocks: [
      {
        type: "paragraph",
        text: "Your physical therapist has suggested dry needling as part of your treatment plan. This guide explains what that means, so you can ask good questions and decide with confidence.",
      },
      { type: "heading", level: 2, text: "The short answer" },
      {
        type: "paragraph",
        text: 'Dry needling uses a very thin, solid needle, the same kind used in acupuncture, to treat tight, tender spots in muscle. It is called "dry" because nothing is injected: there is no medication in the needle. The needle goes into a myofascial trigger point (a knot in a band of muscle that hurts when pressed and may send pain elsewhere), or into tendons, ligaments or tissue near nerves.',
      },
      { type: "literature", referenceId: ids.literature["dommerholt-2013"] },
      { type: "video", videoId: ids.videos.choosept },
      { type: "heading", level: 2, text: "How it differs from acupuncture" },
      {
        type: "paragraph",
        text: "Both use filiform needles, and that is where the likeness mostly ends. Acupuncture comes from traditional Chinese medicine and places needles along meridians to restore the flow of energy. Dry needling comes from Western anatomy: your therapist chooses each point by examining the muscle, and the aim is to release a trigger point and calm an irritated nervous system.",
      },
      {
        type: "list",
        ordered: false,
        items: [
          "Reasoning: acupuncture follows meridians; dry needling follows anatomy and the findings of your examination.",
          "Goal: acupuncture treats many conditions; dry needling treats muscle and movement problems as one part of a plan that includes exercise.",
          "Session: dry needling is usually a few minutes inside a longer physical therapy visit.",
        ],
      },
      { type: "video", videoId: ids.videos["bjc-health"] },
      { type: "heading", level: 2, text: "Who performs it" },
      {
        type: "paragraph",
        text: "Acupuncturists, some chiropractors, physicians and, in many states, physical therapists with extra training. The rules differ from state to state: some boards require a set number of hours of training and supervised sessions before a physical therapist may needle, others have not written rules yet, and a few do not allow it.",
      },
      {
        type: "quote",
        text: "Non-physicians who perform dry needling should meet the same standards of training, certification and continuing education that apply to acupuncturists.",
        attribution: "Our summary of the American Medical Association's 2016 policy",
      },
      {
        type: "paragraph",
        text: "That is why this clinic keeps a record of every therapist's dry needling courses, exams and supervised sessions, and checks them against the rules of each state where they practise.",
      },
      { type: "heading", level: 2, text: "What the research says" },
      {
        type: "paragraph",
        text: "Dry needling has been studied for longer than most people think. The first prospective studies date from around 1980, and the technique now appears in textbooks on neck and arm pain, hand therapy, pelvic pain and sports medicine.",
      },
      { type: "literature", referenceId: ids.literature["fernandez-2011"] },
      { type: "literature", referenceId: ids.literature["schleip-2013"] },
      { type: "literature", referenceId: ids.literature["skirven-2020"] },
      { type: "literature", referenceId: ids.literature["piedade-2019"] },
      { type: "heading", level: 3, text: "Superficial or deep" },
      {
        type: "paragraph",
        text: "Not every needle goes deep. In superficial dry needling the needle stays in the tissue just above the trigger point, a few millimetres in; in deep dry needling it reaches the trigger point itself. Your therapist will explain which they plan to use and why.",
      },
      { type: "literature", referenceId: ids.literature["chaitow-2012"] },
      { type: "literature", referenceId: ids.literature["wardle-2014"] },
      { type: "heading", level: 3, text: "Not only for people" },
      {
        type: "paragraph",
        text: "Veterinary physiotherapists use dry needling too, for horses, dogs and farm animals: a reminder that the method is about muscle and nerve, whoever they belong to.",
      },
      { type: "literature", referenceId: ids.literature["mcgowan-2016"] },
      { type: "literature", referenceId: ids.literature["blackwell-ruminant-2017"] },
      { type: "heading", level: 2, text: "What a session looks like" },
      {
        type: "list",
        ordered: true,
        items: [
          "Your therapist examines you and explains where and why they want to needle.",
          "You give your consent; you can say no, or stop at any time.",
          "The skin is cleaned and a sterile, single-use needle is inserted. You may feel a brief cramp or twitch in the muscle: that is expected.",
          "The needle stays in for a few seconds to a few minutes, then goes into a sharps container.",
          "The visit usually continues with exercise or hands-on treatment.",
        ],
      },
      { type: "video", videoId: ids.videos["ohio-state"] },
      { type: "video", videoId: ids.videos["kevin-brown"] },
      {
        type: "callout",
        tone: "tip",
        title: "What to expect after a session",
        body: "Soreness in the treated muscle is common and usually settles within 24 hours.\nIce, gentle heat and light stretching help; keep moving as your therapist advised.\nSome people feel tired or light-headed for a short while: sit down, drink some water, and tell us.",
      },
      {
        type: "callout",
        tone: "warning",
        title: "When to call us",
        body: "Call the clinic the same day if you feel faint or dizzy for more than a few minutes, are sick, notice bruising that keeps spreading, or have new shortness of breath after needling near the chest. In an emergency, call 911.",
      },
      { type: "heading", level: 2, text: "Want to see more?" },
      {
        type: "paragraph",
        text: "These short videos show trigger point needling in practice, explained by clinicians.",
      },
      { type: "video", videoId: ids.videos["larry-keeley"] },
      { type: "video", videoId: ids.videos.christianacare },
      { type: "literature", referenceId: ids.literature["dommerholt-2018-ebook"] },
    ],
  };
}
