import { FLINK_OPTION_SPECS, flinkOptionProblem } from '../../../domain/jobs/flink-options.ts';
import { parseOptions } from './options-text.ts';

/**
 * A job's Flink options as the editor shows them: the options that have a field of their own
 * (checkpointing, state, SQL tuning) apart from the rest, which stay free `key=value` text.
 */
export interface OptionsForm {
  fields: Record<string, string>;
  otherText: string;
}

const FIELD_KEYS = new Set(FLINK_OPTION_SPECS.map((s) => s.key));

export function splitOptions(options: Record<string, string>): OptionsForm {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const [k, v] of Object.entries(options)) {
    if (FIELD_KEYS.has(k)) fields[k] = v;
    else other.push(`${k}=${v}`);
  }
  return { fields, otherText: other.join('\n') };
}

/**
 * A field set to "" is the Flink default: the option is left out. The value is kept as typed (a
 * space typed between "2" and "s" must stay); joinOptions trims what is saved.
 */
export function setField(form: OptionsForm, key: string, value: string): OptionsForm {
  const fields = { ...form.fields };
  if (value.trim()) fields[key] = value;
  else delete fields[key];
  return { ...form, fields };
}

export type OptionsResult =
  | { ok: true; options: Record<string, string> }
  /** `field`: the option whose own field holds the bad value; absent when the free text is at fault. */
  | { ok: false; error: string; field?: string };

/** The options to save, or the first thing to fix: a bad line, an option given twice, a bad value. */
export function joinOptions(form: OptionsForm): OptionsResult {
  const other = parseOptions(form.otherText);
  if (!other.ok) return other;
  const lines = form.otherText.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const key = lines[i]!.split('=')[0]!.trim();
    if (FIELD_KEYS.has(key))
      return { ok: false, error: `line ${i + 1}: ${key} has its own field above: set it there` };
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(form.fields)) {
    const problem = flinkOptionProblem(key, value);
    if (problem) return { ok: false, field: key, error: `${key}: ${problem}` };
    fields[key] = value.trim();
  }
  return { ok: true, options: { ...fields, ...other.options } };
}
