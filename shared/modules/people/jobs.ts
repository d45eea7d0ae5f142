import type { Context } from 'aws-lambda';
import { metricNames } from '../../platform/config.js';
import type { ContinuedEvent } from '../../platform/continuation.js';
import { metrics } from '../../platform/observability.js';
import { roundOverEveryTenant, type TenantPassCheckpoint } from '../tenants/rounds.js';
import { type CloseStaleReport, closeStaleRegistrations } from './use-cases/close-stale.js';

/** Where a pass over every tenant stands between rounds (the tenants module's resumable pass). */
export type CloseStaleCheckpoint = TenantPassCheckpoint;

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
 * so the schedule's retry and dead-letter queue see it). Resumable (`roundOverEveryTenant`):
 * when the invocation runs short of time it stops between candidates, reports `complete: false`
 * and continues in a new round from its checkpoint.
 */
export async function closeStaleInEveryTenant(
  event?: object | null,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<CloseStaleResult> {
  const round = await roundOverEveryTenant({
    event,
    context,
    step: (tenant, shouldStop) => closeStaleRegistrations(tenant, new Date(), { shouldStop }),
    log: {
      done: 'stale registrations closed',
      failed: 'closing stale registrations failed for a tenant',
    },
  });
  const closed = round.all.reduce((n, r) => n + r.closed, 0);
  metrics.addMetric(metricNames.staleRegistrationsClosed, 'Count', closed);
  return round.finish(
    {
      complete: round.complete,
      hop: round.hop,
      tenants: round.tenants,
      closed,
      skipped: round.all.reduce((n, r) => n + r.skipped, 0),
      failedTenants: round.failedTenants,
      reports: round.reports,
    },
    'closing failed',
  );
}
