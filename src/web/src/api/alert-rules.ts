import { useQuery } from '@tanstack/react-query';
import type { AlertRuleView, AlertView } from '../../../contract/alert-rules.ts';
import { api } from './http.ts';
import { jobKeys } from './jobs.ts';

export type { AlertRuleView, AlertView };

/** How often a job's Alerts tab asks for its rules again (another user may change them); alerts are pushed. */
export const ALERT_RULES_REFRESH_MS = 10_000;

/** Alert rules and their alerts, through the one typed client. */
export const alertRulesApi = api.alerts;
export const alertRuleKeys = { all: ['alert-rules'] as const };
export const useAlertRules = () =>
  useQuery({ queryKey: alertRuleKeys.all, queryFn: () => alertRulesApi.rules() });
/** The rules covering a job (its own and those on every job), read again with the history. */
export const useJobAlertRules = (job: string) =>
  useQuery({
    queryKey: [...alertRuleKeys.all, job],
    queryFn: () => alertRulesApi.rules(job),
    refetchInterval: ALERT_RULES_REFRESH_MS,
  });
/**
 * A job's alert history, newest first: refreshed by the `alert` events the server pushes as it keeps
 * them, and under the job's key, so that a reconnected stream refreshes it too.
 */
export const useJobAlerts = (job: string) =>
  useQuery({ queryKey: jobKeys.part(job, 'alerts'), queryFn: () => alertRulesApi.history(job) });
