/** A time as the user's language writes it (the console's language, not the browser's). */
export function formatTime(iso: string | number | Date, language: string): string {
  return new Date(iso).toLocaleString(language);
}
