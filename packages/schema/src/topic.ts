import { z } from "zod";

/** The controlled vocabulary of DN training topics. Standards and courses name these. */
export const TOPICS = {
  "bloodborne-pathogens": "OSHA bloodborne pathogens",
  "clean-needle-technique": "Clean needle technique",
  "indications-contraindications": "Indications, contraindications and precautions",
  "emergency-response": "Emergency preparedness and response",
  "adverse-event-reporting": "Adverse event recognition and reporting",
  "needle-handling-and-disposal": "Safe needle handling and sharps disposal",
  anatomy: "Anatomy and palpation",
  "psychomotor-skills": "Psychomotor needling skills",
  documentation: "Documentation",
  "informed-consent": "Informed consent",
  "evidence-based-practice": "Evidence-based practice",
  "pain-science": "Pain science",
  "trigger-points": "Myofascial trigger points",
  "secondary-effects": "Secondary effects and complications",
  "physiological-responses": "Physiological responses to needling",
  "spine-techniques": "Spinal needling techniques",
  "extremity-techniques": "Extremity needling techniques",
  jurisprudence: "Jurisprudence (the state practice act and rules)",
  ethics: "Professional ethics",
} as const;

export type Topic = keyof typeof TOPICS;
export const TOPIC_CODES = Object.keys(TOPICS) as [Topic, ...Topic[]];
export const TopicSchema = z.enum(TOPIC_CODES, {
  error: (issue) => `unknown topic ${JSON.stringify(issue.input)}`,
});
