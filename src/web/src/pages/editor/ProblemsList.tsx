import { List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SqlProblem } from '../../api/sql.ts';

export function ProblemsList({ problems }: { problems: SqlProblem[] }) {
  const { t } = useTranslation();
  if (!problems.length) return <Typography.Text type="success">{t('editor.noProblems')}</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={problems}
      renderItem={(p) => (
        <List.Item data-testid="problem">
          <Tag color={p.severity === 'error' ? 'red' : 'blue'}>{p.source}</Tag>
          <Typography.Text code>
            {p.line}:{p.column}
          </Typography.Text>{' '}
          {p.message}
        </List.Item>
      )}
    />
  );
}
