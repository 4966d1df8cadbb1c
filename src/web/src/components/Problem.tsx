import { Alert, Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
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

/**
 * Why a change the user asked for failed (the server's message), until it is closed or tried again;
 * `inForm`: above a form's fields, which the user fixes and sends again (no close button).
 */
export function MutationError({
  mutation,
  testId,
  inForm = false,
}: {
  mutation: { error: Error | null; reset: () => void };
  testId?: string;
  inForm?: boolean;
}) {
  if (!mutation.error) return null;
  return (
    <Alert
      type="error"
      showIcon
      {...(inForm ? { style: { marginBottom: 16 } } : { closable: true, onClose: () => mutation.reset() })}
      title={mutation.error.message}
      data-testid={testId}
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

/**
 * What a query read: loading, its error with a way to try again, `empty` when it read an empty list,
 * or `children` drawing the answer.
 */
export function Queried<T>({
  query,
  empty,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  // A failed background refetch keeps the answer last read.
  if (query.data === undefined) return <ErrorPanel error={query.error} retry={() => void query.refetch()} />;
  if (empty !== undefined && Array.isArray(query.data) && query.data.length === 0) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
