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
import { type CloseStaleReport, closeStaleRegistrations } from './use-cases/close-stale.js';

/** Leave this much of the invocation for the transaction in flight and the self-invocation. */
const reserveMs = 60_000;

/**
 * Where a pass over every tenant stands between rounds: the tenants are walked in the
 * directory's order (by tenant id), so the checkpoint is the last tenant done, and the tenants
 * that failed so far (reported, and thrown, at the end of the pass).
 */
export interface CloseStaleCheckpoint {
  after?: string;
  failedTenants: string[];
}

export interface CloseStaleResult {
  /** False: the time budget ran out; the pass continues in a new round (`next`). */
  complete: boolean;
  /** This round's place in its chain (0: the scheduled run). */
  hop: number;
  /** Tenants this round finished. */
  tenants: number;
  closed: number;
  skipped: number;
  /** Tenants whose run failed (logged) in this pass so far; the next pass picks them up, nothing is half-closed. */
  failedTenants: string[];
  reports: CloseStaleReport[];
  /** The event of the next round, when incomplete (undefined past the continuation limit). */
  next?: ContinuedEvent<object, CloseStaleCheckpoint>;
}

/**
 * Scheduled daily: close stale registrations in every tenant. Safe to run twice or
 * concurrently; one tenant failing does not stop the others (and throws at the end of the pass,
 * so the schedule's retry and dead-letter queue see it). Resumable: when the invocation runs
 * short of time it stops between candidates, reports `complete: false` and continues in a new
 * round from its checkpoint (the tenants done) — on AWS by invoking itself, locally through the
 * runner's loop. Every round makes progress (at least one tenant or candidate) whatever its budget.
 */
export async function closeStaleInEveryTenant(
  event?: object | null,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<CloseStaleResult> {
  const { hop, checkpoint } = continuationOf<CloseStaleCheckpoint>(event);
  const failedTenants = [...(checkpoint?.failedTenants ?? [])];
  let after = checkpoint?.after;
  const reports: CloseStaleReport[] = [];
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
      const report = await closeStaleRegistrations(tenant, new Date(), { shouldStop: budgetLow });
      progressed = true;
      if (report.candidates > 0) logger.info('stale registrations closed', { ...report });
      reports.push(report);
      if (!report.complete) {
        complete = false;
        break;
      }
      finished++;
    } catch (error) {
      logger.error('closing stale registrations failed for a tenant', {
        tenantId: tenant.tenantId,
        error: error as Error,
      });
      failedTenants.push(tenant.tenantId);
      progressed = true;
      finished++;
    }
    after = tenant.tenantId;
  }

  const closed = reports.reduce((n, r) => n + r.closed, 0);
  metrics.addMetric(metricNames.staleRegistrationsClosed, 'Count', closed);
  const result: CloseStaleResult = {
    complete,
    hop,
    tenants: finished,
    closed,
    skipped: reports.reduce((n, r) => n + r.skipped, 0),
    failedTenants,
    reports: reports.filter((r) => r.candidates > 0),
  };
  if (!complete) {
    result.next = nextRound(event ?? {}, { ...(after === undefined ? {} : { after }), failedTenants });
    if (result.next && (await continueLater(result.next)))
      logger.info('time budget spent; continuing in a new invocation', { hop: hop + 1 });
    return result;
  }
  if (failedTenants.length > 0)
    throw new Error(`closing failed for ${failedTenants.length} tenant(s): ${failedTenants.join(', ')}`);
  return result;
}
