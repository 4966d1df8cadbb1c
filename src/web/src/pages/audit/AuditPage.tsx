import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { Button, Col, Empty, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditRecord } from '../../../../contract/audit.ts';
import type { AuditQuery } from '../../../../client/audit.ts';
import { OUTCOMES, outcomeOf, type Outcome } from '../../../../domain/audit/audit.ts';
import { api } from '../../api/http.ts';
import { DiffView } from '../../components/DiffView.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorPanel, InlineError } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';

const KINDS = [
  'job',
  'target',
  'quota',
  'space-quota',
  'space-file-folders',
  'engine',
  'variable',
  'catalog',
  'artifact',
  'kafka-connection',
  'alert-channel',
  'alert-rule',
  'user',
  'token',
  'session',
  'debug-run',
];
const SINCE: Record<string, number | null> = {
  all: null,
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};
const PAGE = 50;
const COLOR: Record<Outcome, string> = { succeeded: 'green', refused: 'red', failed: 'orange' };

/** A resource's state as text to compare: indented JSON, or nothing. */
const stateText = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 2));

/** One record opened: the resource before and after, side by side. */
function Change({ e }: { e: AuditRecord }) {
  const { t } = useTranslation();
  const before = stateText(e.before);
  const after = stateText(e.after);
  if (!before && !after) return <Typography.Text type="secondary">{t('audit.unchanged')}</Typography.Text>;
  return (
    <div data-testid={`audit-change-${e.id}`}>
      <Row>
        <Col span={12}>
          <Typography.Text strong>{t('audit.before')}</Typography.Text>
          {!before && <Typography.Text type="secondary"> {t('audit.nothing')}</Typography.Text>}
        </Col>
        <Col span={12}>
          <Typography.Text strong>{t('audit.after')}</Typography.Text>
          {!after && <Typography.Text type="secondary"> {t('audit.nothing')}</Typography.Text>}
        </Col>
      </Row>
      <DiffView before={before} after={after} />
    </div>
  );
}

/**
 * The audit log (platform admins: every record; a space's owners: their spaces'): filters, the
 * records newest first a page at a time, each opening to the resource before and after, and the
 * filtered log as JSON lines or CSV.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const me = useQuery({ queryKey: ['me'], queryFn: () => api.access.me() });
  const admin = me.data?.admin ?? false;
  const everySpace = useQuery({ queryKey: ['spaces'], queryFn: () => api.spaces.list(), enabled: admin });
  const owned = (me.data?.spaces ?? []).filter((m) => m.role === 'owner').map((m) => m.space);
  const [picked, setPicked] = useState<string | undefined>();
  // An owner who is no platform admin reads one of its spaces at a time: the first until another is picked.
  const space = admin ? picked : (picked ?? owned[0]);
  const spaceChoices = admin ? (everySpace.data ?? []).map((s) => s.name) : owned;
  const [actor, setActor] = useState('');
  const [kind, setKind] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [text, setText] = useState('');
  const [since, setSince] = useState('all');
  const ms = SINCE[since] ?? null;
  // The start of the range moves with the clock: fixed to the minute so the query key holds still.
  const from =
    ms === null ? undefined : new Date(Math.floor((Date.now() - ms) / 60_000) * 60_000).toISOString();
  const filters: AuditQuery = {
    ...(space ? { space } : {}),
    ...(actor.trim() ? { actor: actor.trim() } : {}),
    ...(kind ? { resourceKind: kind } : {}),
    ...(name.trim() ? { resourceName: name.trim() } : {}),
    ...(outcome ? { outcome } : {}),
    ...(text.trim() ? { text: text.trim() } : {}),
    ...(from ? { from } : {}),
  };
  const log = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      api.audit.list({ ...filters, limit: PAGE, ...(pageParam === undefined ? {} : { before: pageParam }) }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    // Asked also of a user who owns no space: the server's refusal says what it takes.
    enabled: me.data !== undefined,
  });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  const exported = useMutation({
    mutationFn: async (format: 'jsonl' | 'csv') => {
      const text = await api.audit.export({ ...filters, format });
      const type = format === 'csv' ? 'text/csv' : 'application/x-ndjson';
      const url = URL.createObjectURL(new Blob([text], { type }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `sluice-audit.${format}`;
      a.click();
      URL.revokeObjectURL(url);
    },
  });
  const exportButton = (format: 'jsonl' | 'csv') => (
    <Button
      key={format}
      icon={<DownloadOutlined />}
      loading={exported.isPending && exported.variables === format}
      onClick={() => exported.mutate(format)}
      data-testid={`audit-export-${format}`}
    >
      {t('audit.export', { format: format.toUpperCase() })}
    </Button>
  );

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <PageHeader
        title={t('nav.audit')}
        intro={t('audit.intro')}
        action={<Space>{[exportButton('jsonl'), exportButton('csv')]}</Space>}
      />
      <Space wrap data-testid="audit-filters">
        <Select
          allowClear={admin}
          placeholder={t('audit.space.all')}
          aria-label={t('audit.space')}
          value={space}
          onChange={setPicked}
          options={spaceChoices.map((s) => ({ value: s, label: s }))}
          style={{ width: 170 }}
          data-testid="audit-space"
        />
        <Input
          allowClear
          placeholder={t('audit.actor')}
          aria-label={t('audit.actor')}
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          style={{ width: 140 }}
          data-testid="audit-actor"
        />
        <Select
          allowClear
          placeholder={t('audit.kind')}
          aria-label={t('audit.kind')}
          value={kind}
          onChange={setKind}
          options={KINDS.map((k) => ({ value: k, label: k }))}
          style={{ width: 170 }}
          data-testid="audit-kind"
        />
        <Input
          allowClear
          placeholder={t('audit.name')}
          aria-label={t('audit.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          style={{ width: 170 }}
          data-testid="audit-name"
        />
        <Select
          allowClear
          placeholder={t('audit.outcome')}
          aria-label={t('audit.outcome')}
          value={outcome}
          onChange={setOutcome}
          options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
          style={{ width: 140 }}
          data-testid="audit-outcome"
        />
        <Select
          aria-label={t('audit.since')}
          value={since}
          onChange={setSince}
          options={Object.keys(SINCE).map((s) => ({ value: s, label: t(`audit.since.${s}`) }))}
          style={{ width: 170 }}
          data-testid="audit-since"
        />
        <Input.Search
          allowClear
          placeholder={t('audit.text')}
          aria-label={t('audit.text')}
          onSearch={setText}
          style={{ width: 220 }}
          data-testid="audit-text"
        />
      </Space>
      {exported.error && <InlineError error={exported.error} />}
      {log.error ? (
        <ErrorPanel error={log.error} retry={() => void log.refetch()} />
      ) : (
        <>
          <Table<AuditRecord>
            data-testid="audit-table"
            rowKey="id"
            size="small"
            loading={log.isLoading}
            dataSource={entries}
            pagination={false}
            locale={{ emptyText: <Empty description={t('audit.empty')} /> }}
            expandable={{ expandedRowRender: (e) => <Change e={e} /> }}
            columns={[
              { title: t('audit.at'), dataIndex: 'at', render: (v: string) => localTime(v), width: 190 },
              { title: t('audit.who'), render: (_, e) => `${e.actor} (${e.via})` },
              { title: t('audit.from'), dataIndex: 'sourceAddress' },
              { title: t('audit.what'), render: (_, e) => e.operation ?? `${e.method} ${e.path}` },
              { title: t('audit.space'), dataIndex: 'space', render: (v: string | null) => v ?? '-' },
              {
                title: t('audit.resource'),
                render: (_, e) => (e.resourceKind ? `${e.resourceKind} ${e.resourceName ?? ''}`.trim() : '-'),
              },
              {
                title: t('audit.outcome'),
                render: (_, e) => (
                  <Tag color={COLOR[outcomeOf(e.status)]}>
                    {e.status}
                    {e.errorCode ? ` ${e.errorCode}` : ''}
                  </Tag>
                ),
              },
            ]}
          />
          {log.hasNextPage && (
            <Button
              onClick={() => void log.fetchNextPage()}
              loading={log.isFetchingNextPage}
              data-testid="audit-more"
            >
              {t('audit.more')}
            </Button>
          )}
        </>
      )}
    </Space>
  );
}
