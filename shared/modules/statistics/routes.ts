import { adminOnly, anyRole } from '../../platform/access/roles.js';
import type { CounterPlugin } from '../../platform/counting.js';
import { declareRoute } from '../../platform/http/route.js';
import { monthlyQuery, reconciliationsQuery, reconciliationsResponse, statsResponses } from './schemas.js';

/** The statistics routes; their response schemas carry every module's numbers. */
export function statisticsRoutes(plugins: readonly CounterPlugin[]) {
  const responses = statsResponses(plugins);
  return {
    scope: declareRoute({
      method: 'GET',
      path: '/v1/stats',
      access: anyRole,
      budget: 2,
      summary: 'Counters of grids in scope',
      response: responses.scope,
    }),
    monthly: declareRoute({
      method: 'GET',
      path: '/v1/stats/monthly',
      access: anyRole,
      budget: 2,
      summary: 'Monthly flows',
      query: monthlyQuery,
      response: responses.monthly,
    }),
    grid: declareRoute({
      method: 'GET',
      path: '/v1/grids/{gridId}/stats',
      access: anyRole,
      budget: 2,
      summary: 'Counters of one grid',
      response: responses.grid,
    }),
    reconciliations: declareRoute({
      method: 'GET',
      path: '/v1/reconciliations',
      access: adminOnly,
      budget: 1,
      summary: 'Reconciliation runs',
      query: reconciliationsQuery,
      response: reconciliationsResponse,
    }),
  };
}
