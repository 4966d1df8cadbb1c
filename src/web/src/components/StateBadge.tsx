import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LifecycleState } from '../../../domain/jobs/lifecycle.ts';
import { stateBadge } from '../models/job-state.ts';

/** A job's lifecycle state as a badge; `data-state` carries the raw state for tests and styling. */
export function StateBadge({ state }: { state: LifecycleState }) {
  const { t } = useTranslation();
  const { tone } = stateBadge(state);
  return (
    <span data-state={state} className="state-badge">
      <Badge status={tone} text={t(`state.${state}`)} />
    </span>
  );
}
