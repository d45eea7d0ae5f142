import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { implement } from '../../platform/http/route.js';
import { deploymentSecret } from '../../platform/secrets.js';
import type { CountingEngine } from './engine.js';
import { monthlyStats, statsOfGrid, statsOfScope } from './read.js';
import { reconciliationRepository } from './repository/reconciliations.js';
import { statisticsRoutes } from './routes.js';

export function statisticsHandlers(engine: CountingEngine) {
  const routes = statisticsRoutes(engine.plugins);
  return [
    implement(routes.scope, async ({ principal }) => ({ body: await statsOfScope(principal, engine) })),
    implement(routes.grid, async ({ principal, params }) => ({
      body: await statsOfGrid(principal, engine, params.gridId),
    })),
    implement(routes.monthly, async ({ principal, query }) => ({
      body: await monthlyStats(principal, engine, query),
    })),
    implement(routes.reconciliations, async ({ principal, query }) => {
      const secret = await deploymentSecret();
      const after = query.cursor
        ? decodeCursor<string>(secret, principal.tenantId, 'reconciliations', query.cursor)
        : undefined;
      const page = await reconciliationRepository(principal).page(query.limit, after);
      const last = page.runs.at(-1);
      return {
        body: {
          items: page.runs,
          nextCursor:
            page.more && last
              ? encodeCursor(secret, principal.tenantId, 'reconciliations', last.runId)
              : null,
        },
      };
    }),
  ];
}
