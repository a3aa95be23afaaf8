import { TOPICS, type Topic } from "@dn/schema";

/** Rounds away floating-point noise (hours are summed from decimals such as 1.5). */
export function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** 12, 1.5, 0.25: no trailing zeros. */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** "1 hour", "12 hours", "1 supervised session". */
export function plural(value: number, singular: string, pluralForm = `${singular}s`): string {
  return `${num(value)} ${value === 1 ? singular : pluralForm}`;
}

export function topicLabel(topic: Topic): string {
  return TOPICS[topic];
}

export function listTopics(topics: readonly Topic[]): string {
  return topics.map(topicLabel).join(", ");
}
