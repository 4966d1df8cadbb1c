import { Alert, Button, Card, Empty, InputNumber, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useTopicSample, useTopics, type TopicSampleView } from '../../api/kafka.ts';
import { Queried } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';
import { newJobFromTable, partitionRows, shownValue } from '../../models/kafka.ts';
import { messageText } from '../../models/message-text.ts';

type Topic = NonNullable<ReturnType<typeof useTopics>['data']>[number];

/** A connection's topics with their partitions and offsets; choosing one samples it. */
export function TopicBrowser({ connection, onClose }: { connection: string; onClose: () => void }) {
  const { t } = useTranslation();
  const topics = useTopics(connection);
  const [topic, setTopic] = useState<string | null>(null);
  const table = (data: Topic[]) => (
    <Table<Topic>
      rowKey="name"
      size="small"
      dataSource={data}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      rowClassName={(tp) => (tp.name === topic ? 'ant-table-row-selected' : '')}
      expandable={{
        expandedRowRender: (tp) => (
          <Table
            rowKey="partition"
            size="small"
            pagination={false}
            dataSource={partitionRows(tp.partitions)}
            data-testid={`kafka-partitions-${tp.name}`}
            columns={[
              { title: t('kafka.partition'), dataIndex: 'partition' },
              { title: t('kafka.leader'), dataIndex: 'leader' },
              { title: t('kafka.replicas'), dataIndex: 'replicas' },
              { title: t('kafka.earliest'), dataIndex: 'low' },
              { title: t('kafka.latest'), dataIndex: 'high' },
              { title: t('kafka.messages'), dataIndex: 'messages' },
            ]}
          />
        ),
      }}
      columns={[
        {
          title: t('kafka.topic'),
          dataIndex: 'name',
          sorter: (a, b) => a.name.localeCompare(b.name),
          render: (n: string) => <Typography.Text code>{n}</Typography.Text>,
        },
        { title: t('kafka.partitions'), render: (_, tp) => tp.partitions.length },
        { title: t('kafka.messages'), dataIndex: 'messages' },
        {
          title: t('ws.actions'),
          render: (_, tp) => (
            <Button size="small" onClick={() => setTopic(tp.name)} data-testid={`kafka-sample-${tp.name}`}>
              {t('kafka.sample')}
            </Button>
          ),
        },
      ]}
    />
  );
  return (
    <>
      <Card
        size="small"
        title={t('kafka.topicsOf', { connection })}
        data-testid="kafka-topics"
        extra={
          <Space>
            <Button size="small" onClick={() => void topics.refetch()} data-testid="kafka-topics-refresh">
              {t('kafka.refresh')}
            </Button>
            <Button size="small" onClick={onClose}>
              {t('ws.op.close')}
            </Button>
          </Space>
        }
      >
        <Queried
          query={topics}
          empty={<Empty description={t('kafka.noTopics')} data-testid="kafka-no-topics" />}
        >
          {table}
        </Queried>
      </Card>
      {topic && <TopicSample key={topic} connection={connection} topic={topic} />}
    </>
  );
}

type Sampled = TopicSampleView['messages'][number];

/** The latest messages of a topic and the CREATE TABLE inferred from them, to copy or start a job from. */
export function TopicSample({ connection, topic }: { connection: string; topic: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [limit, setLimit] = useState(10);
  const sample = useTopicSample(connection, topic, limit);
  const body = (s: TopicSampleView) => {
    const anyBinary = s.messages.some((m) => shownValue(m.value).binary || shownValue(m.key).binary);
    return (
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Text type="secondary">{t('kafka.sampleHelp')}</Typography.Text>
        {anyBinary && (
          <Alert type="warning" showIcon data-testid="kafka-binary" title={t('kafka.binaryShown')} />
        )}
        <Table<Sampled>
          rowKey={(m) => `${m.partition}-${m.offset}`}
          size="small"
          dataSource={s.messages}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="kafka-messages"
          locale={{ emptyText: t('kafka.noMessages') }}
          columns={[
            { title: t('kafka.partition'), dataIndex: 'partition', width: 90 },
            { title: t('kafka.offset'), dataIndex: 'offset', width: 90 },
            {
              title: t('kafka.timestamp'),
              dataIndex: 'timestamp',
              width: 200,
              render: (v: string) => localTime(v),
            },
            {
              title: t('kafka.key'),
              dataIndex: 'key',
              width: 160,
              render: (v: string | null) => <Value v={v} />,
            },
            { title: t('kafka.value'), dataIndex: 'value', render: (v: string | null) => <Value v={v} /> },
          ]}
        />
        {s.table ? (
          <Card
            size="small"
            type="inner"
            title={t('kafka.inferred', { format: s.table.format.toUpperCase(), sampled: s.table.sampled })}
            extra={
              <Button
                type="primary"
                size="small"
                data-testid="kafka-new-job"
                onClick={() => void navigate('/jobs/new', { state: { newJob: newJobFromTable(s.table!) } })}
              >
                {t('kafka.newJob')}
              </Button>
            }
          >
            <Typography.Paragraph
              copyable={{ text: s.table.ddl, tooltips: [t('kafka.copy'), t('kafka.copied')] }}
              data-testid="kafka-ddl"
            >
              <pre style={{ margin: 0 }}>{s.table.ddl}</pre>
            </Typography.Paragraph>
          </Card>
        ) : (
          <Alert
            type="info"
            showIcon
            data-testid="kafka-no-table"
            title={t('kafka.noTable')}
            description={s.tableProblemMessage ? messageText(t, s.tableProblemMessage) : s.tableProblem}
          />
        )}
      </Space>
    );
  };
  return (
    <Card
      size="small"
      title={t('kafka.sampleOf', { topic })}
      data-testid="kafka-sample"
      extra={
        <Space>
          {t('kafka.limit')}
          <InputNumber
            size="small"
            min={1}
            max={500}
            value={limit}
            onChange={(v) => v && setLimit(v)}
            data-testid="kafka-sample-limit"
          />
          <Button size="small" onClick={() => void sample.refetch()} data-testid="kafka-sample-refresh">
            {t('kafka.refresh')}
          </Button>
        </Space>
      }
    >
      <Queried query={sample}>{body}</Queried>
    </Card>
  );
}

/** A key or value as text, marked when it looks binary (the server decodes every value as UTF-8). */
function Value({ v }: { v: string | null }) {
  const { t } = useTranslation();
  if (v === null) return <Typography.Text type="secondary">null</Typography.Text>;
  const { text, binary } = shownValue(v);
  return (
    <Space size={4}>
      {binary && (
        <Tooltip title={t('kafka.binaryShown')}>
          <Tag color="warning">{t('kafka.binary')}</Tag>
        </Tooltip>
      )}
      <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {text}
      </Typography.Text>
    </Space>
  );
}
