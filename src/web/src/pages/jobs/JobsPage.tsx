import { Button, Input, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { LIFECYCLE_STATES } from '../../../../domain/jobs/lifecycle.ts';
import { useJobs, type JobInSpace } from '../../api/jobs.ts';
import { useInPicked, useWho } from '../../api/spaces.ts';
import { spaceColumn } from '../../components/Spaces.tsx';
import { spacesWhere } from '../../models/spaces.ts';
import { ErrorPanel, Loading } from '../../components/Problem.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import { filterJobs, type JobFilter } from '../../models/job-filter.ts';
import { JobActions } from './JobActions.tsx';
import { localTime } from '../../i18n/index.ts';

/** Every job with its live state (pushed by the server), filters, search and the lifecycle actions. */
export function JobsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const jobs = useJobs();
  const [filter, setFilter] = useState<JobFilter>({ text: '', states: [], targets: [], engines: [] });
  const inSpace = useInPicked(jobs.data);
  const shown = useMemo(() => filterJobs(inSpace, filter), [inSpace, filter]);
  const who = useWho();
  // Creating is offered where the user may change something: a viewer everywhere is offered none.
  const mayCreate = !!who && spacesWhere(who, 'change').length > 0;
  if (jobs.isPending) return <Loading />;
  if (jobs.isError) return <ErrorPanel error={jobs.error} retry={() => void jobs.refetch()} />;
  if (inSpace.length === 0 && mayCreate)
    return (
      <Result
        status="info"
        title={t('jobs.empty.title')}
        subTitle={t('jobs.empty.text')}
        extra={
          <Space>
            <Button
              type="primary"
              onClick={() => void navigate('/examples')}
              data-testid="create-from-example"
            >
              {t('jobs.empty.action')}
            </Button>
            <Button onClick={() => void navigate('/jobs/new-jar')} data-testid="new-jar-job">
              {t('jar.new')}
            </Button>
            <Button onClick={() => void navigate('/jobs/new')} data-testid="new-job">
              {t('jobs.new')}
            </Button>
          </Space>
        }
      />
    );
  const distinct = (f: (j: JobInSpace) => string) =>
    [...new Set(inSpace.map(f))].sort().map((v) => ({ value: v, label: v }));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('jobs.title')}
        </Typography.Title>
        {mayCreate && (
          <Space>
            <Button onClick={() => void navigate('/examples')} data-testid="examples">
              {t('jobs.fromExample')}
            </Button>
            <Button onClick={() => void navigate('/jobs/new-jar')} data-testid="new-jar-job">
              {t('jar.new')}
            </Button>
            <Button type="primary" onClick={() => void navigate('/jobs/new')} data-testid="new-job">
              {t('jobs.new')}
            </Button>
          </Space>
        )}
      </Space>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('jobs.search')}
          onChange={(e) => setFilter({ ...filter, text: e.target.value })}
          style={{ width: 240 }}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('jobs.filter.state')}
          data-testid="jobs-filter-state"
          style={{ minWidth: 180 }}
          onChange={(states: JobFilter['states']) => setFilter({ ...filter, states })}
          options={LIFECYCLE_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('jobs.filter.target')}
          data-testid="jobs-filter-target"
          style={{ minWidth: 180 }}
          onChange={(targets: string[]) => setFilter({ ...filter, targets })}
          options={distinct((j) => j.target)}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('jobs.filter.engine')}
          data-testid="jobs-filter-engine"
          style={{ minWidth: 140 }}
          onChange={(engines: string[]) => setFilter({ ...filter, engines })}
          options={distinct((j) => j.engineVersion)}
        />
      </Space>
      <Table<JobInSpace>
        rowKey="name"
        data-testid="jobs-table"
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (name: string) => <Link to={`/jobs/${name}`}>{name}</Link>,
            sorter: (a, b) => a.name.localeCompare(b.name),
          },
          {
            title: t('jobs.column.state'),
            dataIndex: 'state',
            render: (_, j) => <StateBadge state={j.state} />,
          },
          {
            title: t('jobs.column.version'),
            render: (_, j) => (
              <Space>
                v{j.currentVersion}
                {j.needsDeploy && <Tag color="orange">{t('jobs.needsDeploy')}</Tag>}
              </Space>
            ),
          },
          spaceColumn(t),
          { title: t('jobs.column.target'), dataIndex: 'target' },
          { title: t('jobs.column.engine'), dataIndex: 'engineVersion' },
          {
            title: t('jobs.column.updated'),
            dataIndex: 'updatedAt',
            render: (v: string) => localTime(v),
          },
          { title: t('jobs.column.actions'), render: (_, j) => <JobActions job={j} compact /> },
        ]}
      />
    </Space>
  );
}
