import { Card, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useVisibleSpaces } from '../../api/quotas.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { QuotaPanel } from './QuotaPanel.tsx';

/** The quota of each space the caller sees, with what its jobs hold on every target. */
export function SpaceQuotas() {
  const { t } = useTranslation();
  const spaces = useVisibleSpaces();
  if (spaces.isPending) return <Loading />;
  if (spaces.isError) return <InlineError error={spaces.error} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="space-quotas">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('ws.quota.spacesTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('ws.quota.spacesIntro')}
      </Typography.Paragraph>
      {spaces.data.map((s) => (
        <Card key={s.name} size="small">
          <QuotaPanel scope={{ kind: 'space', name: s.name }} />
        </Card>
      ))}
    </Space>
  );
}
