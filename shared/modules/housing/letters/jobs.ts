import type { Context } from 'aws-lambda';
import {
  type ContinuedEvent,
  continuationOf,
  continueLater,
  nextRound,
} from '../../../platform/continuation.js';
import { logger, metrics } from '../../../platform/observability.js';
import { allTenants } from '../../tenants/repository.js';
import { type FlagExpiringReport, flagExpiringLetters } from './use-cases/flag-expiring.js';

/** Leave this much of the invocation for the transaction in flight and the self-invocation. */
const reserveMs = 60_000;

/** Metrics of a run (counted per run, summed over its tenants). */
export const letterJobMetrics = {
  flagged: 'LettersFlaggedExpiring',
  expired: 'LettersExpired',
  housesLapsed: 'HousesSecurityLetterLapsed',
} as const;

/**
 * Where a pass over every tenant stands between rounds: tenants are walked in the directory's
 * order (by tenant id), so the checkpoint is the last tenant done, and the tenants that failed
 * so far (reported, and thrown, at the end of the pass).
 */
export interface FlagExpiringCheckpoint {
  after?: string;
  failedTenants: string[];
}

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
  const { hop, checkpoint } = continuationOf<FlagExpiringCheckpoint>(event);
  const failedTenants = [...(checkpoint?.failedTenants ?? [])];
  let after = checkpoint?.after;
  const reports: FlagExpiringReport[] = [];
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
      const report = await flagExpiringLetters(tenant, now(), { shouldStop: budgetLow });
      progressed = true;
      if (report.candidates > 0) logger.info('expiring letters flagged', { ...report });
      reports.push(report);
      if (!report.complete) {
        complete = false;
        break;
      }
      finished++;
    } catch (error) {
      logger.error('flagging expiring letters failed for a tenant', {
        tenantId: tenant.tenantId,
        error: error as Error,
      });
      failedTenants.push(tenant.tenantId);
      progressed = true;
      finished++;
    }
    after = tenant.tenantId;
  }

  const sum = (f: (r: FlagExpiringReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const result: FlagExpiringResult = {
    complete,
    hop,
    tenants: finished,
    flagged: sum((r) => r.flagged),
    expired: sum((r) => r.expired),
    housesLapsed: sum((r) => r.housesLapsed),
    skipped: sum((r) => r.skipped),
    failedTenants,
    reports: reports.filter((r) => r.candidates > 0),
  };
  metrics.addMetric(letterJobMetrics.flagged, 'Count', result.flagged);
  metrics.addMetric(letterJobMetrics.expired, 'Count', result.expired);
  metrics.addMetric(letterJobMetrics.housesLapsed, 'Count', result.housesLapsed);
  if (!complete) {
    result.next = nextRound(event ?? {}, { ...(after === undefined ? {} : { after }), failedTenants });
    if (result.next && (await continueLater(result.next)))
      logger.info('time budget spent; continuing in a new invocation', { hop: hop + 1 });
    return result;
  }
  if (failedTenants.length > 0)
    throw new Error(`flagging failed for ${failedTenants.length} tenant(s): ${failedTenants.join(', ')}`);
  return result;
}
