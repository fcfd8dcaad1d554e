import { Type } from '@fastify/type-provider-typebox';
import { errorResponses } from '@cuntong/contracts/common.ts';
import { canReadCounty, countyScope } from '@cuntong/domain/access.ts';
import { DomainError, invalid } from '@cuntong/domain/errors.ts';
import { KPI_FORMULAS, type KpiKey } from '@cuntong/domain/kpi.ts';
import { writeXlsx } from '../../adapters/spreadsheet.ts';
import { principal, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import { kpiSummary } from './kpi.service.ts';

const Query = Type.Object({
  county: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
});
const Nullable = Type.Union([Type.Number(), Type.Null()]);
const Figure = Type.Object({ key: Type.String(), value: Nullable, unit: Type.String(), formula: Type.Object({ zh: Type.String(), en: Type.String() }) });
const Summary = Type.Object({
  scope: Type.Object({ countyCode: Type.Optional(Type.String()) }),
  from: Type.String(),
  to: Type.String(),
  figures: Type.Array(Figure),
  byCounty: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]))),
  trend: Type.Array(Type.Object({ date: Type.String(), parcelsIn: Type.Integer(), delivered: Type.Integer(), parcelsOut: Type.Integer(), exceptions: Type.Integer() })),
});

export default function kpiRoutes(app: App, ctx: AppContext) {
  const resolve = (req: Parameters<typeof principal>[0], q: { county?: string; from?: string; to?: string }) => {
    const p = principal(req);
    if (q.county && !canReadCounty(p, q.county)) throw new DomainError('forbidden', 'scope.county', `you may not read county ${q.county}`);
    const countyCode = q.county ?? countyScope(p);
    const today = ctx.clock().toISOString().slice(0, 10);
    const to = q.to ?? today;
    const from = q.from ?? new Date(new Date(`${to}T00:00:00Z`).getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
    if (from > to) throw invalid('kpi.period', 'from is after to', [{ path: 'querystring/from', message: 'must not be after to' }]);
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > 366) throw invalid('kpi.period', 'a period is at most one year', [{ path: 'querystring/from', message: 'period longer than 366 days' }]);
    return { countyCode, from, to };
  };

  app.get('/api/v1/kpi/summary', { preValidation: staffOnly, schema: { tags: ['kpi'], summary: 'The branch’s KPIs for the prefecture or one county and a period', description: 'Each figure carries its formula. A rate or duration with nothing to compute it from is null (never an invented zero).', querystring: Query, response: { 200: Summary, ...errorResponses(401, 403, 422) } } }, async (req) =>
    kpiSummary(ctx.db, resolve(req, req.query)),
  );

  app.get('/api/v1/kpi/summary.xlsx', { preValidation: staffOnly, schema: { tags: ['kpi'], summary: 'The same KPIs as an Excel file', querystring: Query } }, async (req, reply) => {
    const s = await kpiSummary(ctx.db, resolve(req, req.query));
    const keys = Object.keys(KPI_FORMULAS) as KpiKey[];
    const fmt = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'number' ? String(Math.round(v * 10000) / 10000) : String(v));
    const rows: string[][] = [
      ['指标 / KPI', '数值 / value', '单位 / unit', '口径 / how it is computed'],
      ...s.figures.map((f) => [f.key, fmt(f.value), f.unit, `${f.formula.zh} / ${f.formula.en}`]),
      [],
      [`期间 / period: ${s.from} – ${s.to}`],
      [],
      ['县 / county', '代码 / code', ...keys],
      ...s.byCounty.map((c) => [String(c.countyName), String(c.countyCode), ...keys.map((k) => fmt(c[k]))]),
    ];
    return reply
      .header('content-disposition', `attachment; filename="kpi-${s.scope.countyCode ?? '5227'}-${s.from}-${s.to}.xlsx"`)
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(await writeXlsx(rows, 'KPI'));
  });
}
