import { z } from 'zod';
import { addCounters, countersOn, monthlyFlows, zeroCounters } from '../../shared/domain/counters.js';
import { isIsoMonth, monthsBetween } from '../../shared/domain/dates.js';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import { httpHandler, route } from '../../shared/http/handler.js';
import { inScope, type Principal } from '../../shared/http/principal.js';
import { problems } from '../../shared/http/problem.js';
import { entityId, isoMonth, limitQuery } from '../../shared/http/schemas.js';
import { tenantOf } from '../../shared/registry/service.js';
import { deploymentKeys } from '../../shared/secrets.js';
import { counterRepository } from '../../shared/table/counters.js';
import { gridRepository } from '../../shared/table/grids.js';
import { reconciliationRepository } from '../../shared/table/reconciliations.js';

const monthlyQuery = z
  .strictObject({ from: isoMonth, to: isoMonth, gridId: entityId.optional() })
  .superRefine((q, ctx) => {
    if (!isIsoMonth(q.from) || !isIsoMonth(q.to)) return; // already reported on the field
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (monthsBetween(q.from, q.to).length > 120) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most 120 months at once' });
    }
  });

async function gridInScope(principal: Principal, gridId: string | undefined) {
  const grid =
    gridId && entityId.safeParse(gridId).success ? await gridRepository(principal).get(gridId) : undefined;
  if (!grid) throw problems.notFound('grid');
  if (!inScope(principal, grid.gridId)) throw problems.forbidden('This key is limited to other grids.');
  return grid;
}

/**
 * Statistics are read from the counter items the stream keeps; the time-dependent ones
 * (childbearing age, verificationDue) are evaluated on the tenant's today at request time.
 */
export const handler = httpHandler('stats', {
  'GET /v1/stats': route({
    handle: async ({ principal }) => {
      const tenant = await tenantOf(principal);
      const grids = (await gridRepository(principal).list()).filter((g) => inScope(principal, g.gridId));
      const gauges = await counterRepository(principal).gaugesOf(grids.map((g) => g.gridId));
      const totals = zeroCounters();
      const rows = grids.map((g) => {
        const c = countersOn(
          gauges.get(g.gridId) ?? new Map(),
          tenant.today,
          tenant.settings.verificationCycleDays,
        );
        addCounters(totals, c);
        return { gridId: g.gridId, name: g.name, community: g.community, ...c };
      });
      return { status: 200, body: { asOf: tenant.today, totals, grids: rows } };
    },
  }),

  'GET /v1/grids/{gridId}/stats': route({
    handle: async ({ principal, params }) => {
      const grid = await gridInScope(principal, params.gridId);
      const tenant = await tenantOf(principal);
      const { fields } = await counterRepository(principal).gauges(grid.gridId);
      return {
        status: 200,
        body: {
          gridId: grid.gridId,
          asOf: tenant.today,
          ...countersOn(fields, tenant.today, tenant.settings.verificationCycleDays),
        },
      };
    },
  }),

  'GET /v1/stats/monthly': route({
    query: monthlyQuery,
    handle: async ({ principal, query }) => {
      const gridIds = query.gridId
        ? [(await gridInScope(principal, query.gridId)).gridId]
        : (await gridRepository(principal).list()).map((g) => g.gridId).filter((g) => inScope(principal, g));
      const counters = counterRepository(principal);
      const months = (await Promise.all(gridIds.map((g) => counters.months(g, query.from, query.to)))).flat();
      return { status: 200, body: { months: monthlyFlows(query.from, query.to, months) } };
    },
  }),

  'GET /v1/reconciliations': route({
    query: z.strictObject({ limit: limitQuery, cursor: z.string().max(500).optional() }),
    handle: async ({ principal, query }) => {
      const keys = await deploymentKeys();
      const after = query.cursor
        ? decodeCursor<string>(keys, principal.tenantId, 'reconciliations', query.cursor)
        : undefined;
      const page = await reconciliationRepository(principal).page(query.limit, after);
      const last = page.runs.at(-1);
      return {
        status: 200,
        body: {
          items: page.runs,
          nextCursor:
            page.more && last ? encodeCursor(keys, principal.tenantId, 'reconciliations', last.runId) : null,
        },
      };
    },
  }),
});
