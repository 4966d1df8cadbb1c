import { DatabaseOutlined, TableOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Row, Select, Space, Table, Tag, Tree, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useTargets } from '../../api/targets.ts';
import {
  useCatalogColumns,
  useCatalogDatabases,
  workspaceApi,
  workspaceKeys,
  type CatalogColumn,
} from '../../api/workspace.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';

interface TreeNode {
  key: string;
  title: string;
  icon?: ReactNode;
  isLeaf?: boolean;
  selectable?: boolean;
  disabled?: boolean;
  children?: TreeNode[];
}

const dbKey = (db: string) => JSON.stringify(['db', db]);
const tableKey = (db: string, table: string) => JSON.stringify(['table', db, table]);

/**
 * What the engine sees in a catalog: databases, their tables (loaded when a database is opened) and
 * the columns of the chosen table. Browsing goes through a session cluster's SQL Gateway.
 */
export function CatalogBrowser({ catalog, onClose }: { catalog: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const targets = useTargets();
  const [target, setTarget] = useState<string | undefined>(undefined);
  const databases = useCatalogDatabases(catalog, target);
  const [tables, setTables] = useState<Record<string, string[]>>({});
  const [loadError, setLoadError] = useState<unknown>(null);
  const [treeVersion, setTreeVersion] = useState(0);
  const [selected, setSelected] = useState<{ database: string; table: string } | null>(null);
  const columns = useCatalogColumns(catalog, selected, target);

  const changeTarget = (c: string | undefined) => {
    setTarget(c);
    setTables({});
    setSelected(null);
    setLoadError(null);
    setTreeVersion((v) => v + 1);
  };

  const treeData = useMemo(
    (): TreeNode[] =>
      (databases.data ?? []).map((db) => {
        const ts = tables[db];
        return {
          key: dbKey(db),
          title: db,
          icon: <DatabaseOutlined />,
          selectable: false,
          ...(ts
            ? {
                children: ts.length
                  ? ts.map((tb) => ({
                      key: tableKey(db, tb),
                      title: tb,
                      icon: <TableOutlined />,
                      isLeaf: true,
                    }))
                  : [
                      {
                        key: `${dbKey(db)}#empty`,
                        title: t('ws.catalogs.noTables'),
                        isLeaf: true,
                        selectable: false,
                        disabled: true,
                      },
                    ],
              }
            : {}),
        };
      }),
    [databases.data, tables, t],
  );

  const loadTables = async (key: string) => {
    const [kind, db] = JSON.parse(key) as [string, string];
    if (kind !== 'db' || tables[db]) return;
    try {
      const ts = await qc.fetchQuery({
        queryKey: workspaceKeys.tables(catalog, db, target),
        queryFn: () => workspaceApi.tables(catalog, db, target),
        staleTime: 60_000,
      });
      setTables((prev) => ({ ...prev, [db]: ts }));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  };

  const retryTree = () => {
    setLoadError(null);
    setTreeVersion((v) => v + 1);
    if (databases.isError) void databases.refetch();
  };

  let tree;
  if (databases.isPending) tree = <Loading />;
  else if (databases.isError) tree = null;
  else if (!databases.data.length) tree = <Empty description={t('ws.catalogs.noDatabases')} />;
  else
    tree = (
      <Tree
        key={treeVersion}
        showIcon
        blockNode
        // A database opens where its name is clicked, not only at the small arrow.
        expandAction="click"
        treeData={treeData}
        loadData={(node) => loadTables(String(node.key))}
        onSelect={(keys) => {
          const k = keys[0];
          if (k === undefined) return;
          const [kind, database, table] = JSON.parse(String(k)) as [string, string, string];
          if (kind === 'table') setSelected({ database, table });
        }}
        selectedKeys={selected ? [tableKey(selected.database, selected.table)] : []}
        data-testid="catalog-tree"
      />
    );

  let detail;
  if (!selected) detail = <Empty description={t('ws.catalogs.pickTable')} />;
  else if (columns.isPending) detail = <Loading />;
  else if (columns.isError) detail = <InlineError error={columns.error} />;
  else
    detail = (
      <Table<CatalogColumn>
        rowKey="name"
        size="small"
        pagination={false}
        dataSource={columns.data}
        title={() => (
          <Typography.Text strong>
            {catalog}.{selected.database}.{selected.table}
          </Typography.Text>
        )}
        columns={[
          {
            title: t('ws.catalogs.column'),
            dataIndex: 'name',
            render: (n: string) => <Typography.Text code>{n}</Typography.Text>,
          },
          { title: t('ws.catalogs.columnType'), dataIndex: 'type' },
          {
            title: t('ws.catalogs.nullable'),
            dataIndex: 'nullable',
            render: (n: boolean) => (n ? t('ws.yes') : t('ws.no')),
          },
          {
            title: t('ws.catalogs.key'),
            dataIndex: 'key',
            render: (k: string | null) => (k ? <Tag>{k}</Tag> : null),
          },
          { title: t('ws.catalogs.extras'), dataIndex: 'extras' },
          { title: t('ws.catalogs.watermark'), dataIndex: 'watermark' },
        ]}
      />
    );

  return (
    <Card
      data-testid="catalog-browser"
      title={t('ws.catalogs.browseTitle', { name: catalog })}
      extra={
        <Space>
          <Select
            allowClear
            style={{ minWidth: 220 }}
            placeholder={t('ws.catalogs.defaultTarget')}
            value={target}
            onChange={changeTarget}
            loading={targets.isPending}
            options={(targets.data ?? []).map((c) => ({ value: c.name, label: `${c.name} (${c.state})` }))}
          />
          <Button onClick={onClose}>{t('ws.op.close')}</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('ws.catalogs.browseHelp')}</Typography.Paragraph>
      {databases.isError && (
        <Space orientation="vertical" style={{ width: '100%', marginBottom: 12 }}>
          <InlineError error={databases.error} />
          <Button size="small" onClick={retryTree}>
            {t('common.retry')}
          </Button>
        </Space>
      )}
      {loadError !== null && (
        <Space orientation="vertical" style={{ width: '100%', marginBottom: 12 }}>
          <InlineError error={loadError} />
          <Button size="small" onClick={retryTree}>
            {t('common.retry')}
          </Button>
        </Space>
      )}
      <Row gutter={24}>
        <Col xs={24} md={8}>
          {tree}
        </Col>
        <Col xs={24} md={16}>
          {detail}
        </Col>
      </Row>
    </Card>
  );
}
