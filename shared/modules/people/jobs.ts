import { metricNames } from '../../platform/config.js';
import { logger, metrics } from '../../platform/observability.js';
import { allTenants } from '../tenants/repository.js';
import { type CloseStaleReport, closeStaleRegistrations } from './use-cases/close-stale.js';

export interface CloseStaleResult {
  tenants: number;
  closed: number;
  skipped: number;
  /** Tenants whose run failed (logged); the next run picks them up, nothing is half-closed. */
  failedTenants: string[];
  reports: CloseStaleReport[];
}

/**
 * Scheduled daily: close stale registrations in every tenant. Safe to run twice or
 * concurrently; one tenant failing does not stop the others (and throws at the end, so the
 * schedule's retry and dead-letter queue see it).
 */
export async function closeStaleInEveryTenant(): Promise<CloseStaleResult> {
  const reports: CloseStaleReport[] = [];
  const failedTenants: string[] = [];
  for await (const tenant of allTenants()) {
    try {
      const report = await closeStaleRegistrations(tenant);
      if (report.candidates > 0) logger.info('stale registrations closed', { ...report });
      reports.push(report);
    } catch (error) {
      logger.error('closing stale registrations failed for a tenant', {
        tenantId: tenant.tenantId,
        error: error as Error,
      });
      failedTenants.push(tenant.tenantId);
    }
  }
  const closed = reports.reduce((n, r) => n + r.closed, 0);
  metrics.addMetric(metricNames.staleRegistrationsClosed, 'Count', closed);
  const result: CloseStaleResult = {
    tenants: reports.length + failedTenants.length,
    closed,
    skipped: reports.reduce((n, r) => n + r.skipped, 0),
    failedTenants,
    reports: reports.filter((r) => r.candidates > 0),
  };
  if (failedTenants.length > 0)
    throw new Error(`closing failed for ${failedTenants.length} tenant(s): ${failedTenants.join(', ')}`);
  return result;
}
