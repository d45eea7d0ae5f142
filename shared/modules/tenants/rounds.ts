import type { Context } from 'aws-lambda';
import {
  type ContinuedEvent,
  continuationOf,
  continueLater,
  nextRound,
} from '../../platform/continuation.js';
import { logger } from '../../platform/observability.js';
import type { TenantContext } from '../../platform/table/tenant-context.js';
import { allTenants } from './repository.js';

/** Leave this much of the invocation for the transaction in flight and the self-invocation. */
const reserveMs = 60_000;

/**
 * Where a pass over every tenant stands between rounds: tenants are walked in the directory's
 * order (by tenant id), so the checkpoint is the last tenant done, and the tenants that failed
 * so far (reported, and thrown, at the end of the pass).
 */
export interface TenantPassCheckpoint {
  after?: string;
  failedTenants: string[];
}

/** What one tenant's step reports: whether it finished the tenant, and whether it had work. */
export interface TenantStepReport {
  complete: boolean;
  candidates: number;
}

export interface TenantRound<R> {
  /** This round's place in its chain (0: the scheduled run). */
  hop: number;
  /** False: the time budget ran out; the pass continues in a new round. */
  complete: boolean;
  /** Tenants this round finished. */
  tenants: number;
  /** Tenants whose step failed (logged) in this pass so far. */
  failedTenants: string[];
  /** The reports of the tenants that had work. */
  reports: R[];
  /** All reports of this round (for sums). */
  all: R[];
  /**
   * End the round with the job's result: incomplete → the next round's event (`next`, invoked
   * on AWS; undefined past the continuation limit); complete with failed tenants → throws, so
   * the schedule's retry and dead-letter queue see it.
   */
  finish<T extends object>(
    result: T,
    failure: string,
  ): Promise<T & { next?: ContinuedEvent<object, TenantPassCheckpoint> }>;
}

/**
 * THE resumable pass of a scheduled job over every tenant (the stale closer, the letters job):
 * one tenant failing does not stop the others; when the invocation runs short of time the step
 * is asked to stop (`shouldStop`) and the round ends with `complete: false`, to continue from its
 * checkpoint — on AWS by invoking itself, locally through the runner's loop. Every round makes
 * progress (the step handles one candidate before it asks) whatever its budget.
 */
export async function roundOverEveryTenant<R extends TenantStepReport>(options: {
  event?: object | null | undefined;
  context?: Pick<Context, 'getRemainingTimeInMillis'> | undefined;
  step: (tenant: TenantContext, shouldStop: () => boolean) => Promise<R>;
  /** Log lines: a tenant with work done, a tenant that failed. */
  log: { done: string; failed: string };
}): Promise<TenantRound<R>> {
  const { event, context, step, log } = options;
  const { hop, checkpoint } = continuationOf<TenantPassCheckpoint>(event);
  const failedTenants = [...(checkpoint?.failedTenants ?? [])];
  let after = checkpoint?.after;
  const all: R[] = [];
  let progressed = false;
  let finished = 0;
  const budgetLow = () => (context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY) < reserveMs;
  let complete = true;

  for await (const tenant of allTenants()) {
    if (after !== undefined && tenant.tenantId <= after) continue;
    if (progressed && budgetLow()) {
      complete = false;
      break;
    }
    try {
      // It always handles one candidate before it asks: a round makes progress under any budget.
      const report = await step(tenant, budgetLow);
      progressed = true;
      if (report.candidates > 0)
        logger.info(log.done, { ...(report as TenantStepReport & Record<string, unknown>) });
      all.push(report);
      if (!report.complete) {
        complete = false;
        break;
      }
      finished++;
    } catch (error) {
      logger.error(log.failed, { tenantId: tenant.tenantId, error: error as Error });
      failedTenants.push(tenant.tenantId);
      progressed = true;
      finished++;
    }
    after = tenant.tenantId;
  }

  return {
    hop,
    complete,
    tenants: finished,
    failedTenants,
    reports: all.filter((r) => r.candidates > 0),
    all,
    async finish(result, failure) {
      if (!complete) {
        const next = nextRound(event ?? {}, { ...(after === undefined ? {} : { after }), failedTenants });
        if (next && (await continueLater(next)))
          logger.info('time budget spent; continuing in a new invocation', { hop: hop + 1 });
        // `next` is there even when undefined: past the limit, the local runner stops too
        return { ...result, next };
      }
      if (failedTenants.length > 0)
        throw new Error(`${failure} for ${failedTenants.length} tenant(s): ${failedTenants.join(', ')}`);
      return result;
    },
  };
}
