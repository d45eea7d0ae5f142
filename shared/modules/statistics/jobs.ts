import type { Context } from 'aws-lambda';
import { metricNames } from '../../platform/config.js';
import { continueLater } from '../../platform/continuation.js';
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
  tenants: { tenantId: string; complete: boolean; run: ReconciliationRun }[];
  driftFound: number;
  driftRepaired: number;
}

/**
 * Nightly: recompute every tenant's counters from the records and repair drift. Tenants are
 * processed grid by grid with checkpoints; an invocation that runs short of time stops cleanly
 * and reports `complete: false`; it is invoked again at once (on AWS it invokes itself; locally
 * the scheduler and the job runner loop) and resumes every unfinished tenant from its checkpoint.
 */
export async function reconcileEveryTenant(
  engine: CountingEngine,
  event: { time?: string; detail?: ReconcileInput } | undefined,
  context: Context,
): Promise<ReconcileResult> {
  const settleMs = event?.detail?.settleMs ?? 5_000;
  // The scheduled time of this nightly pass: the same in every continuation of it.
  const passStartedAt = event?.time;
  const result: ReconcileResult = { complete: true, tenants: [], driftFound: 0, driftRepaired: 0 };
  const shouldStop = () => context.getRemainingTimeInMillis() < reserveMs;
  for await (const tenant of allTenants()) {
    if (shouldStop()) {
      result.complete = false;
      break;
    }
    const { run, complete } = await reconcileTenant(tenant, { engine, settleMs, shouldStop, passStartedAt });
    result.tenants.push({ tenantId: tenant.tenantId, complete, run });
    result.driftFound += run.driftFound;
    result.driftRepaired += run.driftRepaired;
    if (!complete) result.complete = false;
    if (run.driftFound > 0) logger.warn('counter drift repaired', { tenantId: tenant.tenantId, ...run });
  }
  metrics.addMetric(metricNames.counterDrift, 'Count', result.driftFound);
  if (!result.complete && (await continueLater(event)))
    logger.info('time budget spent; continuing in a new invocation');
  return result;
}
