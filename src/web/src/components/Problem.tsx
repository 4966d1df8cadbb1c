import { Alert, Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';

/** Every failed request is shown with the server's own message and a way to try again. */
export function ErrorPanel({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('common.error')}
      subTitle={<span data-testid="error-message">{(error as Error)?.message ?? String(error)}</span>}
      extra={retry ? <Button onClick={retry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function InlineError({ error }: { error: unknown }) {
  return (
    <Alert
      type="error"
      showIcon
      message={(error as Error)?.message ?? String(error)}
      data-testid="error-message"
    />
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin tip={t('common.loading')}>
        <div style={{ height: 40 }} />
      </Spin>
    </div>
  );
}
