import fs from 'node:fs';
import path from 'node:path';
import { renderPrometheusRules, type AlertRule } from '../../domain/alerts/alert-rules.ts';

/** Where Sluice writes its alert rules for Prometheus (`rule_files`): beside the embedded one's configuration. */
export const alertRuleFile = (home: string) => path.join(home, 'prometheus', 'alert-rules.yml');

/** Writes the rule file of every rule (an empty group when there is none). */
export function writeAlertRuleFile(file: string, rules: AlertRule[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderPrometheusRules(rules));
}
