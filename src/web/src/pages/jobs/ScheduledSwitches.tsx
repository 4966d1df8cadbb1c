import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/http.ts';
import { DeleteButton } from '../../components/DeleteButton.tsx';
import { FormModal } from '../../components/FormModal.tsx';
import { InlineError } from '../../components/Problem.tsx';
import { Allowed } from '../../components/Spaces.tsx';
import { formatTime } from '../../models/dates.ts';
import { SCHEDULE_REPEATS, type ScheduleRepeat } from '../../../../domain/profiles/schedule.ts';

type Scheduled = Omit<Awaited<ReturnType<typeof api.profiles.schedule>>[number], 'target'>;
type Outcome = NonNullable<Scheduled['lastRun']>['outcome'];
interface AddValues {
  profile: string;
  at: string;
  repeat: ScheduleRepeat;
}

const OUTCOME_COLOR: Record<Outcome, string> = {
  switched: 'green',
  refused: 'red',
  skipped: 'orange',
  missed: 'red',
};

const two = (n: number) => String(n).padStart(2, '0');

/** The next full hour in the browser's zone, written with its offset: what the form starts from. */
function nextHourWithOffset(now = new Date()): string {
  const d = new Date(now.getTime());
  d.setMinutes(0, 0, 0);
  d.setHours(d.getHours() + 1);
  const off = -d.getTimezoneOffset();
  const zone = `${off >= 0 ? '+' : '-'}${two(Math.floor(Math.abs(off) / 60))}:${two(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:00:00${zone}`;
}

/** What a schedule switches: a space's or a target's active profile, with the API calls of each. */
const SCOPES = {
  target: {
    list: (name: string): Promise<Scheduled[]> => api.profiles.schedule(name),
    add: (name: string, v: AddValues): Promise<Scheduled> => api.profiles.addSchedule(name, v),
    remove: (name: string, id: number) => api.profiles.removeSchedule(name, id),
    testId: 'scheduled-switches',
  },
  space: {
    list: (name: string): Promise<Scheduled[]> => api.profiles.spaceSchedule(name),
    add: (name: string, v: AddValues): Promise<Scheduled> => api.profiles.addSpaceSchedule(name, v),
    remove: (name: string, id: number) => api.profiles.removeSpaceSchedule(name, id),
    testId: 'space-scheduled-switches',
  },
};

/**
 * A space's or a target's scheduled profile switches in the Profiles tab: each one's time, repeat,
 * next time and last outcome (with why), a form that adds one and a button that removes one.
 */
export function ScheduledSwitches({
  scope = 'target',
  target,
  profiles,
  space,
}: {
  scope?: keyof typeof SCOPES;
  /** The target's or the space's name. */
  target: string;
  profiles: string[];
  /**
   * The space whose owners add and remove these switches: the space itself, or the target's (null: an
   * engine's local application target, the platform admins'; undefined: not known yet).
   */
  space: string | null | undefined;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const calls = SCOPES[scope];
  const key = ['profile-schedule', scope, target];
  const label = scope === 'space' ? t('pf.spaceNamed', { space: target }) : target;
  const list = useQuery<Scheduled[]>({
    queryKey: key,
    queryFn: () => calls.list(target),
    // The scheduler records outcomes on its own: read again now and then.
    refetchInterval: 10_000,
  });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<AddValues>();
  const add = useMutation({
    mutationFn: (v: AddValues) => calls.add(target, v),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: key });
      setOpen(false);
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => calls.remove(target, id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const when = (iso: string | null) => (iso ? formatTime(iso, i18n.language) : '—');
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={calls.testId}>
      <Space>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('pf.sched.title', { target: label })}
        </Typography.Title>
        <Allowed space={space} action="manage">
          <Button size="small" onClick={() => setOpen(true)} data-testid="schedule-add">
            {t('pf.sched.add')}
          </Button>
        </Allowed>
      </Space>
      {list.isError && <InlineError error={list.error} />}
      {remove.error && <InlineError error={remove.error} />}
      <Table<Scheduled>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isPending}
        data-testid="schedule-table"
        locale={{ emptyText: <Empty description={t('pf.sched.empty')} /> }}
        dataSource={list.data ?? []}
        columns={[
          { title: '#', dataIndex: 'id' },
          { title: t('pf.name'), dataIndex: 'profile' },
          { title: t('pf.sched.at'), dataIndex: 'at' },
          {
            title: t('pf.sched.repeat'),
            dataIndex: 'repeat',
            render: (r: ScheduleRepeat) => t(`pf.sched.repeat.${r}`),
          },
          { title: t('pf.sched.next'), dataIndex: 'nextAt', render: when },
          {
            title: t('pf.sched.last'),
            dataIndex: 'lastRun',
            render: (r: Scheduled['lastRun']) =>
              r ? (
                <Space orientation="vertical" size={0}>
                  <span>
                    <Tag color={OUTCOME_COLOR[r.outcome]}>{t(`pf.sched.outcome.${r.outcome}`)}</Tag>
                    {when(r.at)}
                  </span>
                  {r.reason && <Typography.Text type="secondary">{r.reason}</Typography.Text>}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: '',
            key: 'remove',
            render: (_: unknown, s: Scheduled) => (
              <Allowed space={space} action="manage">
                <DeleteButton
                  confirm={t('pf.sched.removeConfirm', { id: s.id, profile: s.profile })}
                  onConfirm={() => remove.mutate(s.id)}
                  loading={remove.isPending && remove.variables === s.id}
                  testId={`schedule-remove-${s.id}`}
                />
              </Allowed>
            ),
          },
        ]}
      />
      <FormModal<AddValues>
        name={scope === 'target' ? 'schedule' : 'schedule-space'}
        open={open}
        title={t('pf.sched.addTitle', { target: label })}
        okText={t('pf.sched.save')}
        intro={
          <Typography.Paragraph type="secondary">
            {t(scope === 'space' ? 'pf.sched.introSpace' : 'pf.sched.intro')}
          </Typography.Paragraph>
        }
        form={form}
        initialValues={{ profile: profiles[0] ?? '', at: nextHourWithOffset(), repeat: 'none' }}
        onFinish={(v) => add.mutate({ ...v, profile: v.profile.trim(), at: v.at.trim() })}
        request={add}
        onClose={() => setOpen(false)}
        errorTestId="schedule-error"
      >
        <Form.Item name="profile" label={t('pf.name')} rules={[{ required: true }]}>
          <Input placeholder="peak" />
        </Form.Item>
        <Form.Item
          name="at"
          label={t('pf.sched.at')}
          extra={t('pf.sched.atHelp')}
          rules={[{ required: true }]}
        >
          <Input placeholder="2026-11-10T23:00:00+08:00" />
        </Form.Item>
        <Form.Item name="repeat" label={t('pf.sched.repeat')}>
          <Select
            data-testid="schedule-repeat"
            options={SCHEDULE_REPEATS.map((r) => ({ value: r, label: t(`pf.sched.repeat.${r}`) }))}
          />
        </Form.Item>
      </FormModal>
    </Space>
  );
}
