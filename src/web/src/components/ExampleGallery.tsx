import { Button, Card, Col, Empty, Input, Row, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useExamples, type SqlExample } from '../api/sql.ts';
import { searchExamples } from '../models/example-search.ts';
import { ErrorPanel, Loading } from './Problem.tsx';

/** The worked examples, searchable by name, title, description and tags; choosing one hands it over. */
export function ExampleGallery({ onChoose }: { onChoose: (example: SqlExample) => void }) {
  const { t } = useTranslation();
  const examples = useExamples();
  const [text, setText] = useState('');
  const shown = useMemo(() => searchExamples(examples.data ?? [], text), [examples.data, text]);
  if (examples.isPending) return <Loading />;
  if (examples.isError) return <ErrorPanel error={examples.error} retry={() => void examples.refetch()} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Input.Search
        allowClear
        autoFocus
        placeholder={t('examples.search')}
        aria-label={t('examples.search')}
        data-testid="examples-search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        style={{ maxWidth: 420 }}
      />
      {shown.length === 0 ? (
        <Empty description={t('examples.none', { text })} data-testid="examples-none" />
      ) : (
        <Row gutter={[16, 16]}>
          {shown.map((e) => (
            <Col key={e.name} xs={24} md={12} xl={8}>
              <Card
                size="small"
                title={e.title}
                data-testid="example-card"
                data-name={e.name}
                extra={
                  <Button type="link" onClick={() => onChoose(e)} data-testid={`example-use-${e.name}`}>
                    {t('examples.use')}
                  </Button>
                }
                style={{ height: '100%' }}
              >
                <Typography.Paragraph style={{ marginBottom: 8 }}>{e.description}</Typography.Paragraph>
                <Space size={[4, 4]} wrap>
                  <Typography.Text type="secondary" code>
                    {e.name}
                  </Typography.Text>
                  {e.tags.map((tag) => (
                    <Tag key={tag}>{tag}</Tag>
                  ))}
                </Space>
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}
