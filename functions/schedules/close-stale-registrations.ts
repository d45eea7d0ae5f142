import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { metricNames } from '../../shared/config.js';
import { logger, metrics } from '../../shared/observability.js';
import { type CloseStaleReport, closeStaleRegistrations } from '../../shared/registry/close-stale.js';
import { allTenants } from '../../shared/table/tenants.js';

/** Scheduled daily: close stale registrations in every tenant. Safe to run twice or concurrently. */
export async function run(): Promise<{
  tenants: number;
  closed: number;
  skipped: number;
  reports: CloseStaleReport[];
}> {
  const reports: CloseStaleReport[] = [];
  for await (const tenant of allTenants()) {
    const report = await closeStaleRegistrations(tenant);
    if (report.candidates > 0) logger.info('stale registrations closed', { ...report });
    reports.push(report);
  }
  const closed = reports.reduce((n, r) => n + r.closed, 0);
  metrics.addMetric(metricNames.staleRegistrationsClosed, 'Count', closed);
  return {
    tenants: reports.length,
    closed,
    skipped: reports.reduce((n, r) => n + r.skipped, 0),
    reports: reports.filter((r) => r.candidates > 0),
  };
}

export const handler = middy(run)
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics));
