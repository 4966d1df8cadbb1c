import { LockOutlined, WarningOutlined } from '@ant-design/icons';
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Variable } from '../../api/workspace.ts';
import { messageText } from '../../models/message-text.ts';

/** What a secret shows instead of its value, which the API never returns. */
const MASK = '••••';

/**
 * A secret in the variables table: never its value; for one saved before weak values were refused,
 * what is wrong with it, in the server's words and the user's language.
 */
export function SecretValue({ variable }: { variable: Variable }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={0} data-testid={`secret-${variable.name}`}>
      <Space>
        <Typography.Text type="secondary">{MASK}</Typography.Text>
        <Tag icon={<LockOutlined />} color="gold">
          {t('ws.variables.secret')}
        </Tag>
        {variable.warningMessage && (
          <Tag icon={<WarningOutlined />} color="warning">
            {t('ws.variables.weak')}
          </Tag>
        )}
      </Space>
      {variable.warningMessage && (
        <Typography.Text type="warning" data-testid={`weak-${variable.name}`}>
          {messageText(t, variable.warningMessage)}
        </Typography.Text>
      )}
    </Space>
  );
}
