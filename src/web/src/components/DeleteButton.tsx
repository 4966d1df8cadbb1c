import { Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';

/** A small delete button that asks first. */
export function DeleteButton({
  confirm,
  onConfirm,
  loading,
  testId,
}: {
  confirm: string;
  onConfirm: () => void;
  loading: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Popconfirm title={confirm} onConfirm={onConfirm}>
      <Button size="small" danger loading={loading} data-testid={testId}>
        {t('common.delete')}
      </Button>
    </Popconfirm>
  );
}
