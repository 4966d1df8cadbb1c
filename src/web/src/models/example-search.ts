import type { SqlExample } from '../../../contract/sql.ts';

/**
 * The worked examples that match what is typed in the gallery's search: every word typed must appear
 * in the example's name, title, description or one of its tags (case does not matter).
 */
export function searchExamples(examples: readonly SqlExample[], text: string): SqlExample[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...examples];
  return examples.filter((e) => {
    const haystack = [e.name, e.title, e.description, ...e.tags].join('\n').toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}
