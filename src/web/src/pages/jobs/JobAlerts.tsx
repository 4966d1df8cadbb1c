import { Empty, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useJobAlertRules, useJobAlerts, type AlertRuleView, type AlertView } from '../../api/alert-rules.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { formatTime } from '../../models/dates.ts';
import { rulesCovering } from '../../models/alert-rules.ts';
import { SEVERITY_COLOR, useRuleColumns } from '../workspace/AlertRulesPage.tsx';

/**
 * A job's Alerts tab: the rules that cover it (its own, then those on every job) and the alerts they
 * raised about it, newest first, as the server pushes them (the rules are read again every few seconds).
 */
export function JobAlerts({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const rules = useJobAlertRules(name);
  const alerts = useJobAlerts(name);
  const columns = useRuleColumns();
  const time = (iso: string | null) => (iso ? formatTime(iso, i18n.language) : '—');
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="job-alerts">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('ar.jobRules')} <Link to="/alert-rules">({t('nav.alertRules')})</Link>
      </Typography.Title>
      {rules.isPending ? (
        <Loading />
      ) : rules.isError ? (
        <InlineError error={rules.error} />
      ) : (
        <Table<AlertRuleView>
          rowKey="name"
          size="small"
          pagination={false}
          data-testid="job-alert-rules"
          locale={{ emptyText: <Empty description={t('ar.jobRulesEmpty')} /> }}
          dataSource={rulesCovering(rules.data, name)}
          columns={columns}
        />
      )}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('ar.history')}
      </Typography.Title>
      {alerts.isPending ? (
        <Loading />
      ) : alerts.isError ? (
        <InlineError error={alerts.error} />
      ) : (
        <Table<AlertView>
          rowKey={(a) => `${a.rule}-${a.startsAt}-${a.receivedAt}`}
          size="small"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="job-alert-history"
          locale={{ emptyText: <Empty description={t('ar.historyEmpty')} /> }}
          // The server answers newest first.
          dataSource={alerts.data}
          expandable={{
            rowExpandable: (a) => !!a.rootCause,
            expandedRowRender: (a) => (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                <b>{t('ar.rootCause')}:</b> {a.rootCause}
              </Typography.Paragraph>
            ),
          }}
          columns={[
            {
              title: t('ar.status'),
              dataIndex: 'status',
              render: (s: AlertView['status']) => (
                <Tag color={s === 'firing' ? 'red' : 'green'} data-testid="alert-status">
                  {t(`ar.status.${s}`)}
                </Tag>
              ),
            },
            { title: t('ar.rule'), dataIndex: 'rule' },
            {
              title: t('ar.severity'),
              dataIndex: 'severity',
              render: (s: AlertView['severity']) => (
                <Tag color={SEVERITY_COLOR[s]}>{t(`ar.severity.${s}`)}</Tag>
              ),
            },
            { title: t('ar.summary'), dataIndex: 'summary' },
            { title: t('ar.value'), dataIndex: 'value', render: (v: string | null) => v || '—' },
            { title: t('ar.startsAt'), dataIndex: 'startsAt', render: time },
            { title: t('ar.endsAt'), dataIndex: 'endsAt', render: time },
            { title: t('ar.delivery'), dataIndex: 'delivery' },
          ]}
        />
      )}
    </Space>
  );
}
