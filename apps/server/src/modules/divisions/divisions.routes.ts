import { Type } from '@fastify/type-provider-typebox';
import { DivisionCode, Page, PageQuery, errorResponses } from '@cuntong/contracts/common.ts';
import { notFound } from '@cuntong/domain/errors.ts';
import type { App, AppContext } from '../../http/context.ts';
import * as repo from './divisions.repository.ts';

const DivisionSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  shortName: Type.String(),
  level: Type.String(),
  parent: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Optional(Type.String()),
  pinyin: Type.String(),
  initials: Type.String(),
});

type Row = Awaited<ReturnType<typeof repo.listDivisions>>['items'][number];
const present = (d: Row) => ({ code: d.code, name: d.name, shortName: d.short_name, level: d.level, parent: d.parent, ...(d.kind ? { kind: d.kind } : {}), pinyin: d.pinyin, initials: d.initials });

// Divisions are public reference data (GB/T 2260 and the statistics bureau's codes): any signed-in user reads them.
export default function divisionRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/divisions',
    {
      schema: {
        tags: ['divisions'],
        summary: 'Browse and search administrative divisions',
        description: 'parent lists children (parent=5227 gives the 12 counties); q matches a code prefix, the name, the short name or pinyin initials (鸡贾 → jj).',
        querystring: Type.Object({
          parent: Type.Optional(DivisionCode),
          level: Type.Optional(Type.Union(['province', 'prefecture', 'county', 'town', 'village'].map((l) => Type.Literal(l)))),
          under: Type.Optional(DivisionCode),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          ...PageQuery,
        }),
        response: { 200: Page(DivisionSchema), ...errorResponses(401, 422) },
      },
    },
    async (req) => {
      const r = await repo.listDivisions(ctx.db, { ...req.query, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 });
      return { items: r.items.map(present), total: r.total };
    },
  );

  app.get(
    '/api/v1/divisions/stats',
    {
      schema: {
        tags: ['divisions'],
        summary: 'Counts by level for the loaded region',
        response: { 200: Type.Object({ prefecture: Type.Integer(), county: Type.Integer(), town: Type.Integer(), village: Type.Integer(), villageCommittee: Type.Integer() }) },
      },
    },
    async () => {
      const rows = await repo.divisionCounts(ctx.db, ctx.config.region);
      const sum = (level: string, kind?: string) => rows.filter((r) => r.level === level && (!kind || r.kind === kind)).reduce((a, r) => a + r.n, 0);
      return { prefecture: sum('prefecture'), county: sum('county'), town: sum('town'), village: sum('village'), villageCommittee: sum('village', 'village') };
    },
  );

  app.get(
    '/api/v1/divisions/:code',
    {
      schema: {
        tags: ['divisions'],
        summary: 'One division with its ancestors',
        params: Type.Object({ code: DivisionCode }),
        response: { 200: Type.Intersect([DivisionSchema, Type.Object({ path: Type.Array(DivisionSchema), childCount: Type.Integer() })]), ...errorResponses(401, 404, 422) },
      },
    },
    async (req) => {
      const d = await repo.getDivision(ctx.db, req.params.code);
      if (!d) throw notFound('division.not_found', `no division ${req.params.code}`);
      const ancestors: string[] = [];
      for (let p = d.parent; p; ) {
        ancestors.unshift(p);
        p = p.length > 2 ? (p.length === 12 ? p.slice(0, 9) : p.length === 9 ? p.slice(0, 6) : p.slice(0, p.length - 2)) : null;
      }
      const path = (await repo.getDivisions(ctx.db, ancestors)).sort((a, b) => a.code.length - b.code.length);
      return { ...present(d), path: path.map(present), childCount: await repo.countChildren(ctx.db, d.code) };
    },
  );

  app.get('/api/v1/division-aliases', { schema: { tags: ['divisions'], summary: 'Old names of renamed or merged units', response: { 200: Type.Object({ items: Type.Array(Type.Object({ alias: Type.String(), code: Type.String(), level: Type.String(), note: Type.Union([Type.String(), Type.Null()]) })) }) } } }, async () => ({
    items: await repo.listAliases(ctx.db),
  }));
}
