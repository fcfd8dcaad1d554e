import { Type } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { errorResponses } from '@cuntong/contracts/common.ts';
import { type Statement, statementRows } from '@cuntong/domain/settlement/statement.ts';
import { writeCsv, writeXlsx } from '../../adapters/spreadsheet.ts';
import { principal, roles, staffOnly } from '../../http/auth.ts';
import type { App, AppContext } from '../../http/context.ts';
import { SettlementService } from './settlement.service.ts';

const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' });
const Format = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')]));

async function send<S extends Statement>(reply: FastifyReply, s: S, format: 'json' | 'csv' | 'xlsx' | undefined, name: string) {
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(writeCsv(statementRows(s)));
  if (format === 'xlsx') return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await writeXlsx(statementRows(s), s.month));
  return s;
}

export default function settlementRoutes(app: App, ctx: AppContext) {
  const svc = new SettlementService(ctx.db, { clock: ctx.clock, stationCommissionFen: Number(process.env.STATION_COMMISSION_FEN ?? 50) || 50 });
  const managers = roles('admin', 'county_manager');

  app.get('/api/v1/settlement/statement', {
    preValidation: managers,
    schema: { tags: ['settlement'], summary: 'Compute a partner’s monthly statement for a county (JSON, CSV or Excel; each line lists its parcels)', querystring: Type.Object({ partner: Type.String({ maxLength: 20 }), county: Type.String({ pattern: '^\\d{6}$' }), month: Month, format: Format }), response: { 200: Type.Any(), ...errorResponses(401, 403, 422) } },
  }, async (req, reply) => {
    const s = await svc.compute(principal(req), req.query.partner, req.query.county, req.query.month);
    return send(reply, s, req.query.format, `statement-${req.query.partner}-${req.query.county}-${req.query.month}`);
  });
  app.post('/api/v1/settlement/statements', {
    preValidation: managers,
    schema: { tags: ['settlement'], summary: 'Issue the month’s statement (a snapshot; re-issuing unchanged facts returns the same statement)', body: Type.Object({ partnerCode: Type.String({ maxLength: 20 }), countyCode: Type.String({ pattern: '^\\d{6}$' }), month: Month }, { additionalProperties: false }), response: { 200: Type.Any(), 201: Type.Any(), ...errorResponses(401, 403, 422) } },
  }, async (req, reply) => {
    const r = await svc.issue(principal(req), req.body.partnerCode, req.body.countyCode, req.body.month);
    return reply.status(r.reissued ? 200 : 201).send(r);
  });
  const Id = Type.Object({ id: Type.String({ maxLength: 40 }) });
  for (const prefix of ['/api/v1/settlement', '/partner/v1']) {
    const guard = prefix === '/partner/v1' ? roles('partner') : managers;
    app.get(`${prefix}/statements`, { preValidation: guard, schema: { tags: ['settlement'], summary: 'Issued statements', querystring: Type.Object({ partner: Type.Optional(Type.String({ maxLength: 20 })), month: Type.Optional(Month) }), response: { 200: Type.Any(), ...errorResponses(401, 403) } } }, async (req) =>
      svc.listIssued(principal(req), { partnerCode: req.query.partner, month: req.query.month }),
    );
    app.get(`${prefix}/statements/:id`, { preValidation: guard, schema: { tags: ['settlement'], summary: 'An issued statement with its lines, parcels and disputes', params: Id, querystring: Type.Object({ format: Format }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404) } } }, async (req, reply) => {
      const s = await svc.getIssued(principal(req), req.params.id);
      return send(reply, s, req.query.format, `statement-${s.partnerCode}-${s.countyCode}-${s.month}`);
    });
    app.get(`${prefix}/disputes`, { preValidation: guard, schema: { tags: ['settlement'], summary: 'Statement disputes', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('accepted'), Type.Literal('rejected')])) }), response: { 200: Type.Any(), ...errorResponses(401, 403) } } }, async (req) =>
      svc.disputes(principal(req), { status: req.query.status }),
    );
  }
  app.post('/partner/v1/statements/:id/disputes', {
    preValidation: roles('partner'),
    schema: { tags: ['settlement'], summary: 'Dispute a line of one of my statements', params: Id, body: Type.Object({ lineId: Type.String({ maxLength: 200 }), reason: Type.String({ minLength: 2, maxLength: 500 }), waybillNos: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 })) }, { additionalProperties: false }), response: { 201: Type.Any(), ...errorResponses(401, 403, 404, 422) } },
  }, async (req, reply) => reply.status(201).send(await svc.dispute(principal(req), req.params.id, req.body)));
  app.post('/api/v1/settlement/disputes/:id/resolve', {
    preValidation: managers,
    schema: { tags: ['settlement'], summary: 'Resolve a dispute (accepted with an adjustment, or rejected)', params: Id, body: Type.Object({ status: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]), resolution: Type.String({ minLength: 2, maxLength: 500 }), adjustmentFen: Type.Optional(Type.Integer()) }, { additionalProperties: false }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404, 409) } },
  }, async (req) => svc.resolve(principal(req), req.params.id, req.body));
  app.get('/api/v1/settlement/commissions/overview', {
    preValidation: roles('admin', 'county_manager', 'station_keeper'),
    schema: { tags: ['settlement'], summary: 'The month’s commission per station (keeper: the own station; manager: the county’s)', querystring: Type.Object({ month: Month, county: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) }), response: { 200: Type.Any(), ...errorResponses(401, 403, 422) } },
  }, async (req) => svc.commissionOverview(principal(req), req.query.month, req.query.county));
  app.get('/api/v1/settlement/commissions', {
    preValidation: staffOnly,
    schema: { tags: ['settlement'], summary: 'A station keeper’s monthly commission statement', querystring: Type.Object({ station: Type.String({ maxLength: 40 }), month: Month, format: Format }), response: { 200: Type.Any(), ...errorResponses(401, 403, 404, 422) } },
  }, async (req, reply) => {
    const c = await svc.commission(principal(req), req.query.station, req.query.month);
    if (req.query.format === 'csv' || req.query.format === 'xlsx') {
      const rows = [['month', 'station', 'waybill_no', 'partner', 'date', 'status', 'unit_yuan'], ...c.parcels.map((x) => [c.month, c.stationCode, x.waybillNo, x.partnerCode, x.date, x.status, (c.unitFen / 100).toFixed(2)]), [c.month, c.stationCode, 'total', '', '', String(c.quantity), (c.amountFen / 100).toFixed(2)]];
      return req.query.format === 'csv' ? reply.type('text/csv; charset=utf-8').send(writeCsv(rows)) : reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await writeXlsx(rows, c.month));
    }
    return c;
  });
}
