import { Alert, Button, Form, Input, InputNumber, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sqlApi, type DebugRow, type DebugRunView } from '../../api/sql.ts';
import { InlineError } from '../../components/Problem.tsx';
import { Allowed } from '../../components/Spaces.tsx';
import {
  debugSources,
  debugSourceTables,
  formatOfFile,
  type DebugSourceTable,
  type GivenRows,
} from '../../models/debug-inputs.ts';
import { reasonText } from '../../models/message-text.ts';

const KIND_COLOR: Record<string, string> = { '+I': 'green', '-U': 'orange', '+U': 'blue', '-D': 'red' };

/**
 * A debug run of the script: sources generate rows (or read the rows given for them), each sink's rows
 * stream in with their change kind, until the row limit, the time limit or a stop.
 */
export function DebugPanel({
  sql,
  target,
  catalogs,
  artifacts = [],
  space,
}: {
  sql: string;
  /** The job's space: the run uses its target, catalogs, artifacts and variables; who may run there starts it. */
  space: string | undefined;
  target?: string | undefined;
  catalogs: string[];
  /** Added to the run's session first (a job's artifacts, `name@version`). */
  artifacts?: string[];
}) {
  const { t } = useTranslation();
  const [run, setRun] = useState<DebugRunView | null>(null);
  const [rows, setRows] = useState<DebugRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [rowLimit, setRowLimit] = useState(100);
  const [timeLimit, setTimeLimit] = useState(120);
  const [given, setGiven] = useState<GivenRows[]>([]);
  const sources = useMemo(() => debugSourceTables(sql), [sql]);
  const unsubscribe = useRef<() => void>(() => {});
  useEffect(() => () => unsubscribe.current(), []);

  const start = async () => {
    unsubscribe.current();
    setRows([]);
    setError(null);
    const inputs = debugSources(given, sources);
    if (!inputs.ok) return setError(new Error(t(inputs.problem.key, inputs.problem.values)));
    try {
      const started = await sqlApi.startDebug({
        sql,
        ...(space ? { space } : {}),
        target,
        catalogs,
        ...(artifacts.length ? { artifacts } : {}),
        rowLimit,
        timeLimitSeconds: timeLimit,
        ...(given.length ? { sources: inputs.sources } : {}),
      });
      setRun(started);
      unsubscribe.current = sqlApi.followDebug(started.id, {
        status: setRun,
        row: (r) => setRows((all) => [...all, r]),
        end: () => undefined,
      });
    } catch (e) {
      setError(e);
    }
  };
  const stop = async () => {
    if (run) await sqlApi.stopDebug(run.id).catch((e: unknown) => setError(e));
  };
  const live = run !== null && !run.endedAt;
  const update = (i: number, patch: Partial<GivenRows>) =>
    setGiven((all) => all.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form layout="inline" disabled={live}>
        <Form.Item label={t('debug.rowLimit')} tooltip={t('debug.rowLimitHelp')}>
          <InputNumber
            min={1}
            max={10_000}
            precision={0}
            value={rowLimit}
            onChange={(v) => setRowLimit(v ?? 100)}
            data-testid="debug-row-limit"
          />
        </Form.Item>
        <Form.Item label={t('debug.timeLimit')} tooltip={t('debug.timeLimitHelp')}>
          <InputNumber
            min={1}
            max={3600}
            precision={0}
            value={timeLimit}
            onChange={(v) => setTimeLimit(v ?? 120)}
            data-testid="debug-time-limit"
          />
        </Form.Item>
        <Form.Item>
          <Button
            onClick={() =>
              setGiven((all) => [
                ...all,
                {
                  table: sources.find((s) => !all.some((g) => g.table === s.name))?.name ?? null,
                  format: 'json',
                  text: '',
                },
              ])
            }
            data-testid="debug-add-rows"
          >
            {t('debug.given.add')}
          </Button>
        </Form.Item>
      </Form>
      {given.map((g, i) => (
        <GivenRowsInput
          key={i}
          value={g}
          sources={sources}
          disabled={live}
          onChange={(patch) => update(i, patch)}
          onRemove={() => setGiven((all) => all.filter((_, j) => j !== i))}
        />
      ))}
      <Space>
        <Allowed space={space} action="run">
          <Button
            type="primary"
            onClick={() => void start()}
            disabled={live || !sql.trim()}
            data-testid="debug-start"
          >
            {t('editor.debug')}
          </Button>
        </Allowed>
        <Button onClick={() => void stop()} disabled={!live}>
          {t('editor.stopDebug')}
        </Button>
        {run && (
          <Typography.Text data-testid="debug-status">
            {live
              ? t('debug.running')
              : t('debug.ended', { reason: reasonText(t, run.reason, run.reasonMessage) })}
          </Typography.Text>
        )}
      </Space>
      {error !== null && <InlineError error={error} />}
      {run?.problem && (
        <Alert
          type="error"
          showIcon
          message={`${run.problem.line}:${run.problem.column} ${run.problem.message}`}
        />
      )}
      {run?.tables.length ? (
        <Typography.Text type="secondary">
          {t('debug.tables')}: {run.tables.map((x) => `${x.name} (${x.as})`).join(', ')}
        </Typography.Text>
      ) : null}
      {run?.sinks.map((sink) => {
        const own = rows.filter((r) => r.sink === sink.sink);
        return (
          <div key={sink.sink}>
            <Typography.Text strong>
              {t('debug.sink')}: {sink.sink}
            </Typography.Text>
            <Table<DebugRow>
              size="small"
              rowKey="seq"
              data-testid="debug-rows"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={own}
              columns={[
                {
                  title: t('debug.kind'),
                  dataIndex: 'kind',
                  render: (k: string) => <Tag color={KIND_COLOR[k]}>{k}</Tag>,
                },
                ...sink.columns.map((c, i) => ({
                  title: c,
                  key: c + i,
                  render: (_: unknown, r: DebugRow) => (
                    <span data-testid="debug-cell">{JSON.stringify(r.fields[i])}</span>
                  ),
                })),
              ]}
            />
          </div>
        );
      })}
    </Space>
  );
}

/** Rows for one source table, typed or pasted, or read from a .json or .csv file. */
function GivenRowsInput({
  value,
  sources,
  disabled,
  onChange,
  onRemove,
}: {
  value: GivenRows;
  sources: DebugSourceTable[];
  disabled: boolean;
  onChange: (patch: Partial<GivenRows>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const file = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const columns = sources.find((s) => s.name === value.table)?.columns ?? [];
  const example =
    value.format === 'csv'
      ? columns.map((c) => `<${c}>`).join(',')
      : `[{${columns.map((c) => `"${c}": ...`).join(', ')}}]`;
  const read = async (f: File) => {
    const format = formatOfFile(f.name);
    if (!format) return setFileError(t('debug.given.fileType', { file: f.name }));
    setFileError(null);
    onChange({ format, text: await f.text() });
  };
  return (
    <div data-testid="debug-given" style={{ border: '1px solid #f0f0f0', padding: 8, borderRadius: 6 }}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select
          placeholder={t('debug.given.table')}
          aria-label={t('debug.given.table')}
          data-testid="debug-given-table"
          style={{ minWidth: 200 }}
          disabled={disabled}
          value={value.table ?? undefined}
          onChange={(table: string) => onChange({ table })}
          options={sources.map((s) => ({ value: s.name, label: s.name }))}
          notFoundContent={t('debug.given.noSources')}
        />
        <Radio.Group
          disabled={disabled}
          value={value.format}
          onChange={(e) => onChange({ format: e.target.value as GivenRows['format'] })}
          optionType="button"
          options={[
            { value: 'json', label: 'JSON' },
            { value: 'csv', label: 'CSV' },
          ]}
          data-testid="debug-given-format"
        />
        <Button disabled={disabled} onClick={() => file.current?.click()}>
          {t('debug.given.file')}
        </Button>
        <input
          ref={file}
          type="file"
          accept=".json,.jsonl,.ndjson,.csv"
          data-testid="debug-given-file"
          style={{ display: 'none' }}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = ''; // the same file may be chosen again after an edit
            if (f) void read(f);
          }}
        />
        <Button type="text" danger disabled={disabled} onClick={onRemove}>
          {t('debug.given.remove')}
        </Button>
      </Space>
      <Input.TextArea
        aria-label={t('debug.given.rows')}
        data-testid="debug-given-text"
        disabled={disabled}
        autoSize={{ minRows: 3, maxRows: 12 }}
        value={value.text}
        placeholder={columns.length ? example : undefined}
        onChange={(e) => onChange({ text: e.target.value })}
        style={{ fontFamily: 'monospace' }}
      />
      <Typography.Text type="secondary">
        {value.format === 'csv'
          ? t('debug.given.csvHelp', { columns: columns.join(', ') || '-' })
          : t('debug.given.jsonHelp')}
      </Typography.Text>
      {fileError && <Alert type="error" showIcon message={fileError} />}
    </div>
  );
}
