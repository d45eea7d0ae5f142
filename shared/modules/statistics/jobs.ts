import type { Context } from 'aws-lambda';
import { metricNames } from '../../platform/config.js';
import {
  type ContinuedEvent,
  continuationOf,
  continueLater,
  nextRound,
} from '../../platform/continuation.js';
import { logger, metrics } from '../../platform/observability.js';
import { allTenants } from '../tenants/repository.js';
import type { CountingEngine } from './engine.js';
import { reconcileTenant } from './reconcile.js';
import type { ReconciliationRun } from './repository/reconciliations.js';

/** Leave this much of the invocation for the checkpoint write and the report. */
const reserveMs = 60_000;

export interface ReconcileInput {
  /** Override the settle wait (tests); default 5 s. */
  settleMs?: number;
}

export interface ReconcileResult {
  complete: boolean;
  /** This round's place in its chain (0: the scheduled run). */
  hop: number;
  /** The event of the next round, when incomplete (undefined past the continuation limit). */
  next?: ContinuedEvent<object>;
  tenants: { tenantId: string; complete: boolean; run: ReconciliationRun }[];
  driftFound: number;
  driftRepaired: number;
}

/**
 * Nightly: recompute every tenant's counters from the records and repair drift. Tenants are
 * processed grid by grid with checkpoints; an invocation that runs short of time stops cleanly
 * and reports `complete: false`; it is invoked again at once with its `next` event, one hop
 * further (on AWS it invokes itself; locally the scheduler and the job runner loop), and resumes
 * every unfinished tenant from its checkpoint — up to the continuation limit
 * (shared/platform/continuation.ts).
 */
export async function reconcileEveryTenant(
  engine: CountingEngine,
  event: { time?: string; detail?: ReconcileInput } | undefined,
  context: Context,
): Promise<ReconcileResult> {
  const settleMs = event?.detail?.settleMs ?? 5_000;
  // The scheduled time of this nightly pass: the same in every continuation of it.
  const passStartedAt = event?.time;
  const { hop } = continuationOf(event);
  const result: ReconcileResult = { complete: true, hop, tenants: [], driftFound: 0, driftRepaired: 0 };
  const budgetLow = () => context.getRemainingTimeInMillis() < reserveMs;
  // Every round makes progress whatever its budget: the first grid it asks for is always granted
  // (a round that could do nothing would only spend a hop of the chain).
  let granted = false;
  let progressed = false;
  const shouldStop = () => {
    if (!granted) {
      granted = true;
      return false;
    }
    return budgetLow();
  };
  for await (const tenant of allTenants()) {
    if (progressed && budgetLow()) {
      result.complete = false;
      break;
    }
    const { run, complete } = await reconcileTenant(tenant, { engine, settleMs, shouldStop, passStartedAt });
    progressed = true;
    result.tenants.push({ tenantId: tenant.tenantId, complete, run });
    result.driftFound += run.driftFound;
    result.driftRepaired += run.driftRepaired;
    if (!complete) result.complete = false;
    if (run.driftFound > 0) logger.warn('counter drift repaired', { tenantId: tenant.tenantId, ...run });
  }
  metrics.addMetric(metricNames.counterDrift, 'Count', result.driftFound);
  if (!result.complete) {
    // The checkpoints are in the table (one per tenant): the next round needs only its hop.
    result.next = nextRound(event ?? {});
    if (result.next && (await continueLater(result.next)))
      logger.info('time budget spent; continuing in a new invocation', { hop: hop + 1 });
  }
  return result;
}
