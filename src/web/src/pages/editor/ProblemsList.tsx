import { List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SqlProblem } from '../../api/sql.ts';

/** The script's problems; choosing one takes the editor's cursor to it. */
export function ProblemsList({
  problems,
  onSelect,
}: {
  problems: SqlProblem[];
  onSelect: (problem: SqlProblem) => void;
}) {
  const { t } = useTranslation();
  if (!problems.length) return <Typography.Text type="success">{t('editor.noProblems')}</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={problems}
      renderItem={(p) => (
        <List.Item
          data-testid="problem"
          role="button"
          tabIndex={0}
          title={t('editor.goToProblem', { line: p.line, column: p.column })}
          style={{ cursor: 'pointer' }}
          onClick={() => onSelect(p)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              onSelect(p);
            }
          }}
        >
          <span>
            <Tag color={p.severity === 'error' ? 'red' : 'blue'}>{p.source}</Tag>
            <Typography.Text code>
              {p.line}:{p.column}
            </Typography.Text>{' '}
            {p.message}
          </span>
        </List.Item>
      )}
    />
  );
}
