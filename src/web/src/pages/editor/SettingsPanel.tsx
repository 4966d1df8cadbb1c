import { Col, Divider, Form, Input, InputNumber, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  RestartPolicyBody as RestartPolicy,
  ResubmitPolicyBody as ResubmitPolicy,
} from '../../../../contract/jobs.ts';
import { flinkOptionProblem } from '../../../../domain/jobs/flink-options.ts';
import { useTargets } from '../../api/targets.ts';
import { useCatalogs } from '../../api/workspace.ts';
import { setField, type OptionsForm, type OptionsResult } from '../../models/job-settings.ts';
import { usableIn } from '../../models/spaces.ts';
import { RestartPolicyFields } from './RestartPolicyFields.tsx';

/** Everything of a job version besides its SQL: where it runs, how wide, how it recovers, its options. */
export interface JobSettings {
  target: string | undefined;
  engineVersion: string | undefined;
  parallelism: number;
  restartPolicy: RestartPolicy;
  resubmitPolicy: ResubmitPolicy;
  catalogs: string[];
  options: OptionsForm;
}

export function SettingsPanel({
  value,
  onChange,
  joined,
  space,
  defaultTarget = null,
}: {
  value: JobSettings;
  /** What the server picks when the target is left empty (a new job in its space); null: not said. */
  defaultTarget?: string | null;
  /** The job's space: only its targets and catalogs are offered, and every space's (null: not known yet). */
  space: string | null;
  /**
   * Takes an update of the settings, not the settings: two changes made before the next render (a
   * busy page) must both apply, not the second one over a stale copy.
   */
  onChange: (update: (v: JobSettings) => JobSettings) => void;
  joined: OptionsResult;
}) {
  const { t } = useTranslation();
  const targets = useTargets();
  const catalogList = useCatalogs();
  const set = (patch: (v: JobSettings) => Partial<JobSettings>) => onChange((v) => ({ ...v, ...patch(v) }));
  const option = (key: string) => value.options.fields[key] ?? '';
  const setOption = (key: string, v: string | null | undefined) =>
    set((s) => ({ options: setField(s.options, key, v ?? '') }));

  /** A text field for one Flink option, checked as the user types. */
  const optionInput = (key: string, label: string, placeholder: string) => {
    // An empty field is no option at all: Flink's default applies.
    const problem = option(key) ? flinkOptionProblem(key, option(key)) : null;
    return (
      <Col xs={24} md={8}>
        <Form.Item
          label={label}
          tooltip={key}
          validateStatus={problem ? 'error' : undefined}
          help={problem ?? undefined}
        >
          <Input
            allowClear
            placeholder={placeholder}
            value={option(key)}
            onChange={(e) => setOption(key, e.target.value)}
            data-testid={`option-${key}`}
          />
        </Form.Item>
      </Col>
    );
  };
  /** A choice between fixed values of one Flink option; cleared means Flink's default. */
  const optionSelect = (key: string, label: string, values: string[]) => (
    <Col xs={24} md={8}>
      <Form.Item label={label} tooltip={key}>
        <Select
          allowClear
          placeholder={t('settings.flinkDefault')}
          value={option(key) || undefined}
          onChange={(v: string | undefined) => setOption(key, v)}
          options={values.map((v) => ({ value: v, label: v }))}
          data-testid={`option-${key}`}
        />
      </Form.Item>
    </Col>
  );

  return (
    <Form layout="vertical" style={{ maxWidth: 960 }}>
      <Divider titlePlacement="start">{t('settings.deployment')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item label={t('jobs.column.target')} extra={t('settings.targetHelp')}>
            <Select
              data-testid="cluster-select"
              placeholder={
                defaultTarget
                  ? t('settings.defaultTargetIn', { space, target: defaultTarget })
                  : t('settings.defaultTarget')
              }
              allowClear
              loading={targets.isPending}
              value={value.target}
              onChange={(name: string | undefined) =>
                set(() => ({
                  target: name,
                  engineVersion: targets.data?.find((c) => c.name === name)?.engineVersion,
                }))
              }
              options={usableIn(targets.data ?? [], space).map((c) => ({
                value: c.name,
                label: `${c.name} · Flink ${c.engineVersion}`,
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item label={t('editor.parallelism')}>
            <InputNumber
              min={1}
              max={1024}
              value={value.parallelism}
              onChange={(v) => set(() => ({ parallelism: v ?? 1 }))}
              data-testid="parallelism"
            />
          </Form.Item>
        </Col>
        {optionInput('pipeline.max-parallelism', t('settings.maxParallelism'), '128')}
      </Row>

      <Divider titlePlacement="start">{t('settings.restart')}</Divider>
      <RestartPolicyFields
        restart={value.restartPolicy}
        resubmit={value.resubmitPolicy}
        onRestart={(update) => set((s) => ({ restartPolicy: update(s.restartPolicy) }))}
        onResubmit={(update) => set((s) => ({ resubmitPolicy: update(s.resubmitPolicy) }))}
      />

      <Divider titlePlacement="start">{t('settings.checkpointing')}</Divider>
      <Row gutter={16}>
        {optionInput('execution.checkpointing.interval', t('settings.interval'), t('settings.intervalOff'))}
        {optionSelect('execution.checkpointing.mode', t('settings.mode'), ['EXACTLY_ONCE', 'AT_LEAST_ONCE'])}
        {optionInput('execution.checkpointing.timeout', t('settings.timeout'), '10 min')}
        {optionInput('execution.checkpointing.min-pause', t('settings.minPause'), '0 ms')}
        {optionInput('execution.checkpointing.tolerable-failed-checkpoints', t('settings.tolerable'), '0')}
        {optionSelect('execution.checkpointing.incremental', t('settings.incremental'), ['true', 'false'])}
        {optionInput('execution.checkpointing.max-concurrent-checkpoints', t('settings.maxConcurrent'), '1')}
      </Row>

      <Divider titlePlacement="start">{t('settings.state')}</Divider>
      <Row gutter={16}>
        {optionSelect('state.backend.type', t('settings.backend'), ['hashmap', 'rocksdb'])}
        {optionInput('table.exec.state.ttl', t('settings.ttl'), t('settings.ttlNever'))}
      </Row>

      <Divider titlePlacement="start">{t('settings.sqlTuning')}</Divider>
      <Row gutter={16}>
        {optionSelect('table.exec.mini-batch.enabled', t('settings.miniBatch'), ['true', 'false'])}
        {optionInput('table.exec.mini-batch.allow-latency', t('settings.miniBatchLatency'), '2 s')}
        {optionInput('table.exec.mini-batch.size', t('settings.miniBatchSize'), '5000')}
      </Row>

      <Divider titlePlacement="start">{t('settings.more')}</Divider>
      <Form.Item label={t('editor.catalogs')}>
        <Select
          mode="multiple"
          allowClear
          data-testid="catalogs-select"
          value={value.catalogs}
          onChange={(catalogs: string[]) => set(() => ({ catalogs }))}
          loading={catalogList.isPending}
          options={usableIn(catalogList.data ?? [], space).map((c) => ({
            value: c.name,
            label: `${c.name} (${c.type})`,
          }))}
        />
      </Form.Item>
      <Form.Item
        label={t('editor.flinkOptions')}
        validateStatus={joined.ok || joined.field ? undefined : 'error'}
        help={joined.ok || joined.field ? undefined : joined.error}
      >
        <Input.TextArea
          rows={5}
          value={value.options.otherText}
          onChange={(e) => {
            const otherText = e.target.value;
            set((s) => ({ options: { ...s.options, otherText } }));
          }}
          data-testid="other-options"
        />
      </Form.Item>
    </Form>
  );
}
