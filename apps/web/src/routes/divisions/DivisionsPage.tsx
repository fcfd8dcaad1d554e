import { Card, Col, Descriptions, Empty, Input, List, Row, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client.ts';
import { API, useDivision, useDivisions } from '../../api/hooks.ts';
import type { Division, ListResponse } from '../../api/types.ts';
import { useCountyScope } from '../../app/auth.tsx';

const ROOT = '5227';

function toNode(d: Division): DataNode {
  return { key: d.code, title: `${d.name}`, isLeaf: d.level === 'village' };
}

function updateTree(nodes: DataNode[], key: React.Key, children: DataNode[]): DataNode[] {
  return nodes.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: updateTree(n.children, key, children) } : n));
}

export default function DivisionsPage() {
  const { t, i18n } = useTranslation();
  const { fixedCounty } = useCountyScope();
  const root = fixedCounty ?? ROOT;
  const [tree, setTree] = useState<DataNode[]>([]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [q, setQ] = useState('');
  const search = useDivisions({ q, limit: 50 }, q.trim().length > 0);
  const detail = useDivision(selected);

  const loadChildren = useCallback(async (parent: string) => {
    const res = await request<ListResponse<Division>>(`${API}/divisions`, { query: { parent, limit: 1000 } });
    return res.items.map(toNode);
  }, []);

  useEffect(() => {
    let live = true;
    void loadChildren(root).then((children) => {
      if (live) setTree(children);
    });
    return () => {
      live = false;
    };
  }, [root, loadChildren]);

  const level = (l: string | undefined) => (l && i18n.exists(`divisions.levels.${l}`) ? t(`divisions.levels.${l}`) : (l ?? ''));
  const d = detail.data;

  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('divisions.title')}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={10} xl={8}>
          <Card size="small" title={t('divisions.tree')} styles={{ body: { maxHeight: 'calc(100vh - 220px)', overflow: 'auto' } }}>
            <Tree
              data-testid="division-tree"
              treeData={tree}
              loadData={async (node) => {
                if (node.children) return;
                const children = await loadChildren(String(node.key));
                setTree((old) => updateTree(old, node.key, children));
              }}
              onSelect={(keys) => setSelected(keys[0] === undefined ? undefined : String(keys[0]))}
              selectedKeys={selected ? [selected] : []}
            />
          </Card>
        </Col>
        <Col xs={24} md={14} xl={16}>
          <Card size="small" title={t('divisions.results')}>
            <Input.Search
              allowClear
              placeholder={t('divisions.searchPlaceholder')}
              onSearch={(v) => setQ(v)}
              data-testid="division-search"
              style={{ marginBottom: 12 }}
            />
            {q && (
              <List<Division>
                size="small"
                loading={search.isFetching}
                dataSource={search.data?.items ?? []}
                style={{ maxHeight: 260, overflow: 'auto', marginBottom: 12 }}
                renderItem={(item) => (
                  <List.Item onClick={() => setSelected(item.code)} style={{ cursor: 'pointer' }}>
                    <span>
                      <Tag>{level(item.level)}</Tag>
                      {item.name} <Typography.Text type="secondary">{item.code}</Typography.Text>
                    </span>
                    {item.pinyin && (
                      <Typography.Text type="secondary">
                        {item.pinyin}
                        {item.initials ? ` · ${item.initials}` : ''}
                      </Typography.Text>
                    )}
                  </List.Item>
                )}
              />
            )}
            {d ? (
              <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }} data-testid="division-detail">
                <Descriptions.Item label={t('common.name')}>{d.name}</Descriptions.Item>
                <Descriptions.Item label={t('common.code')}>{d.code}</Descriptions.Item>
                <Descriptions.Item label={t('divisions.shortName')}>{d.shortName}</Descriptions.Item>
                <Descriptions.Item label={t('divisions.level')}>{level(d.level)}</Descriptions.Item>
                <Descriptions.Item label={t('divisions.pinyin')}>{[d.pinyin, d.initials].filter(Boolean).join(' · ')}</Descriptions.Item>
                <Descriptions.Item label={t('divisions.childCount')}>{d.childCount ?? ''}</Descriptions.Item>
                {d.kind && <Descriptions.Item label={t('common.kind')}>{i18n.exists(`divisions.kinds.${d.kind}`) ? t(`divisions.kinds.${d.kind}`) : d.kind}</Descriptions.Item>}
                <Descriptions.Item label={t('divisions.path')} span={2}>
                  {(d.path ?? []).map((p) => p.name).join(' / ')}
                </Descriptions.Item>
              </Descriptions>
            ) : (
              !q && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
