import { useQueryClient } from '@tanstack/react-query';
import { Space, Typography } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { targetKeys } from '../../api/targets.ts';
import { OperationProgress, useTrackedOperations } from './OperationProgress.tsx';
import { SpaceQuotas } from './SpaceQuotas.tsx';
import { TargetsPanel } from './TargetsPanel.tsx';

/** The deployment targets jobs run on, with the session cluster starts in flight, and the spaces' quotas. */
export function TargetsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const ops = useTrackedOperations();
  const refresh = useCallback(() => void qc.invalidateQueries({ queryKey: targetKeys.all }), [qc]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('ws.targets.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('ws.targets.intro')}
      </Typography.Paragraph>
      {ops.ids.map((id) => (
        <OperationProgress key={id} id={id} onDone={refresh} onClose={() => ops.forget(id)} />
      ))}
      <TargetsPanel onOperation={ops.track} />
      <SpaceQuotas />
    </Space>
  );
}
