import { Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * A small delete button that asks first (disabled: neither asks nor deletes, as `Allowed` sets it);
 * `label` for what it says instead of Delete (Remove, Revoke), `confirmId` the id of its OK button.
 */
export function DeleteButton({
  confirm,
  onConfirm,
  loading = false,
  testId,
  disabled = false,
  label,
  confirmId,
}: {
  confirm: string;
  onConfirm: () => void;
  loading?: boolean;
  testId?: string;
  disabled?: boolean;
  label?: string;
  confirmId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={confirm}
      onConfirm={onConfirm}
      disabled={disabled}
      {...(confirmId ? { okButtonProps: { id: confirmId } } : {})}
    >
      <Button size="small" danger loading={loading} disabled={disabled} data-testid={testId}>
        {label ?? t('common.delete')}
      </Button>
    </Popconfirm>
  );
}

/** A list row's Edit button (none without `onEdit`) and its asking Delete button, busy while that row's delete runs. */
export function EditDeleteButtons({
  name,
  onEdit,
  confirm,
  remove,
  testIdPrefix,
}: {
  name: string;
  onEdit?: () => void;
  confirm: string;
  /** The page's delete mutation, called with the row's name. */
  remove: { mutate: (name: string) => void; isPending: boolean; variables?: string };
  testIdPrefix: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      {onEdit && (
        <Button size="small" onClick={onEdit} data-testid={`${testIdPrefix}-edit`}>
          {t('ws.edit')}
        </Button>
      )}
      <DeleteButton
        confirm={confirm}
        onConfirm={() => remove.mutate(name)}
        loading={remove.isPending && remove.variables === name}
        testId={`${testIdPrefix}-delete`}
      />
    </>
  );
}
