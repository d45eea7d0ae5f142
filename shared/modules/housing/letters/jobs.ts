import type { Context } from 'aws-lambda';
import type { ContinuedEvent } from '../../../platform/continuation.js';
import { metrics } from '../../../platform/observability.js';
import { roundOverEveryTenant, type TenantPassCheckpoint } from '../../tenants/rounds.js';
import { type FlagExpiringReport, flagExpiringLetters } from './use-cases/flag-expiring.js';

/** Metrics of a run (counted per run, summed over its tenants). */
export const letterJobMetrics = {
  flagged: 'LettersFlaggedExpiring',
  expired: 'LettersExpired',
  housesLapsed: 'HousesSecurityLetterLapsed',
} as const;

/** Where a pass over every tenant stands between rounds (the tenants module's resumable pass). */
export type FlagExpiringCheckpoint = TenantPassCheckpoint;

export interface FlagExpiringResult {
  /** False: the time budget ran out; the pass continues in a new round (`next`). */
  complete: boolean;
  /** This round's place in its chain (0: the scheduled run). */
  hop: number;
  /** Tenants this round finished. */
  tenants: number;
  flagged: number;
  expired: number;
  housesLapsed: number;
  skipped: number;
  failedTenants: string[];
  reports: FlagExpiringReport[];
  /** The event of the next round, when incomplete (undefined past the continuation limit). */
  next?: ContinuedEvent<object, FlagExpiringCheckpoint>;
}

/**
 * Scheduled daily (01:00 Asia/Shanghai): flag expiring letters and expire lapsed ones in every
 * tenant. Safe to run twice or concurrently; one tenant failing does not stop the others (and
 * throws at the end of the pass, so the schedule's retry and dead-letter queue see it).
 * Resumable exactly like the stale closer: short of time it stops between candidates, reports
 * `complete: false` and continues in a new round from its checkpoint (the tenants done) — on AWS
 * by invoking itself, locally through the runner's loop. Every round makes progress.
 */
export async function flagExpiringLettersInEveryTenant(
  event?: object | null,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
  now: () => Date = () => new Date(),
): Promise<FlagExpiringResult> {
  const round = await roundOverEveryTenant({
    event,
    context,
    step: (tenant, shouldStop) => flagExpiringLetters(tenant, now(), { shouldStop }),
    log: {
      done: 'expiring letters flagged',
      failed: 'flagging expiring letters failed for a tenant',
    },
  });
  const sum = (f: (r: FlagExpiringReport) => number) => round.all.reduce((n, r) => n + f(r), 0);
  const result = {
    complete: round.complete,
    hop: round.hop,
    tenants: round.tenants,
    flagged: sum((r) => r.flagged),
    expired: sum((r) => r.expired),
    housesLapsed: sum((r) => r.housesLapsed),
    skipped: sum((r) => r.skipped),
    failedTenants: round.failedTenants,
    reports: round.reports,
  };
  metrics.addMetric(letterJobMetrics.flagged, 'Count', result.flagged);
  metrics.addMetric(letterJobMetrics.expired, 'Count', result.expired);
  metrics.addMetric(letterJobMetrics.housesLapsed, 'Count', result.housesLapsed);
  return round.finish(result, 'flagging failed');
}
