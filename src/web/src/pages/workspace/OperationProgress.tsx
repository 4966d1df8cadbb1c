import { Alert, Button, Card, Space, Tag, Timeline, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useOperation, type Operation } from '../../api/engines.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { localClock } from '../../i18n/index.ts';
import { errorText } from '../../models/message-text.ts';

const STATUS_COLOR: Record<Operation['status'], string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

/**
 * The frame every followed operation is shown in (an engine install, a session cluster start, a build
 * from git): loading, the error of reading it, or its title with its status, when it started and
 * `close`, around what `children` shows of it.
 */
export function OperationCard({
  op,
  title,
  pendingTitle,
  afterStatus,
  onClose,
  testId,
  statusTestId,
  children,
}: {
  op: ReturnType<typeof useOperation>;
  title: (o: Operation) => ReactNode;
  /** The title while the operation is being read, if any. */
  pendingTitle?: ReactNode;
  /** Beside the status tag: what the operation is doing now. */
  afterStatus?: (o: Operation) => ReactNode;
  /** Offered once the operation has ended, or could not be read. */
  onClose?: { close: () => void; testId: string };
  testId: (o: Operation) => string;
  statusTestId: string;
  children: (o: Operation) => ReactNode;
}) {
  const { t } = useTranslation();
  const close = onClose && (op.isError || (op.data && op.data.status !== 'running')) && (
    <Button size="small" onClick={onClose.close} data-testid={onClose.testId}>
      {t('ws.op.close')}
    </Button>
  );
  if (op.isPending)
    return (
      <Card size="small" title={pendingTitle}>
        <Loading />
      </Card>
    );
  if (op.isError)
    return (
      <Card size="small" title={pendingTitle} extra={close}>
        <InlineError error={op.error} />
      </Card>
    );
  const o = op.data;
  return (
    <Card
      size="small"
      data-testid={testId(o)}
      title={
        <Space>
          {title(o)}
          <Tag color={STATUS_COLOR[o.status]} data-testid={statusTestId}>
            {t(`ws.op.status.${o.status}`)}
          </Tag>
          {afterStatus?.(o)}
        </Space>
      }
      extra={
        <Space>
          <Typography.Text type="secondary">
            {t('ws.op.startedAt', { at: localClock(o.startedAt) })}
          </Typography.Text>
          {close}
        </Space>
      }
    >
      {children(o)}
    </Card>
  );
}

/** Why an operation failed, in the reader's language (or that it failed, when it did not say). */
export function OperationFailure({
  o,
  testId,
  style,
}: {
  o: Operation;
  testId: string;
  style?: CSSProperties;
}) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={o.error ? errorText(t, o.error) : t('ws.op.failed')}
      data-testid={testId}
      style={{ marginTop: 8, ...style }}
    />
  );
}

/**
 * A background operation (engine install, cluster start) followed to its end: its progress lines as
 * they come, then success or the error with its message.
 */
export function OperationProgress({
  id,
  title,
  onDone,
  onClose,
}: {
  id: string;
  title?: ReactNode;
  /** Once, when the operation has ended (succeeded or failed). */
  onDone?: (op: Operation) => void;
  onClose?: () => void;
}) {
  const { t } = useTranslation();
  const op = useOperation(id);
  const reported = useRef(false);
  const data = op.data;
  useEffect(() => {
    if (data && data.status !== 'running' && !reported.current) {
      reported.current = true;
      onDone?.(data);
    }
  }, [data, onDone]);

  return (
    <OperationCard
      op={op}
      title={(o) =>
        title ?? t(`ws.op.kind.${o.kind}`, { subject: o.subject, defaultValue: `${o.kind} ${o.subject}` })
      }
      pendingTitle={title}
      {...(onClose ? { onClose: { close: onClose, testId: 'operation-close' } } : {})}
      testId={(o) => `operation-${o.kind}`}
      statusTestId="operation-status"
    >
      {(o) => <OperationLines o={o} />}
    </OperationCard>
  );
}

/** An operation's progress lines as they come, then whether it succeeded or why it failed. */
function OperationLines({ o }: { o: Operation }) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const running = o.status === 'running';
  const lineCount = o.lines.length;
  useEffect(() => {
    scroller.current?.scrollTo({ top: scroller.current.scrollHeight });
  }, [lineCount]);
  return (
    <>
      <div ref={scroller} style={{ maxHeight: 240, overflow: 'auto', paddingTop: 8 }}>
        {o.lines.length || running ? (
          <Timeline
            items={[
              ...o.lines.map((l, i) => ({
                key: i,
                color: 'gray',
                content: (
                  <Space size="small" align="start">
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {localClock(l.at)}
                    </Typography.Text>
                    <Typography.Text style={{ fontSize: 13 }}>{l.text}</Typography.Text>
                  </Space>
                ),
              })),
              ...(running ? [{ key: 'pending', loading: true, content: t('ws.op.working') }] : []),
            ]}
          />
        ) : o.status === 'succeeded' ? (
          <Typography.Text type="secondary">{t('ws.op.noLines')}</Typography.Text>
        ) : null}
      </div>
      {o.status === 'failed' && <OperationFailure o={o} testId="error-message" />}
      {o.status === 'succeeded' && (
        <Alert type="success" showIcon title={t('ws.op.succeeded')} style={{ marginTop: 8 }} />
      )}
    </>
  );
}

const STORAGE_KEY = 'sluice.workspace.operations';

function readStored(): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Operations started from this tab, kept across page changes and reloads until closed. */
export function useTrackedOperations(): {
  ids: string[];
  track: (id: string) => void;
  forget: (id: string) => void;
} {
  const [ids, setIds] = useState<string[]>(readStored);
  useEffect(() => {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
  }, [ids]);
  const track = useCallback((id: string) => setIds((xs) => (xs.includes(id) ? xs : [id, ...xs])), []);
  const forget = useCallback((id: string) => setIds((xs) => xs.filter((x) => x !== id)), []);
  return { ids, track, forget };
}
