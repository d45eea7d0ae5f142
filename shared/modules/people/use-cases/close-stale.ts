import { todayIn } from '../../../platform/dates.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import { tenantRepository } from '../../tenants/repository.js';
import { personRepository, StaleWriteError } from '../repository.js';
import { close, lastSeenOn, overdueBefore } from '../rules/person.js';

export const systemActor = (job: string) => ({ keyId: 'system', name: job });

export interface CloseStaleReport {
  tenantId: string;
  today: string;
  /** Due-index entries read. */
  candidates: number;
  closed: number;
  /** Verified (or changed) concurrently: the verification won. */
  skipped: number;
}

/**
 * Close every active registration of one tenant last seen more than `staleAfterDays` ago. Reads
 * only the due index (O(due)); each closure is a conditional write on the version it read, so a
 * verification landing concurrently wins, and a second run finds nothing left to close.
 */
export async function closeStaleRegistrations(t: TenantContext, now = new Date()): Promise<CloseStaleReport> {
  const tenant = await tenantRepository(t).get();
  if (!tenant) return { tenantId: t.tenantId, today: '', candidates: 0, closed: 0, skipped: 0 };
  const today = todayIn(tenant.settings.timeZone, now);
  const before = overdueBefore(today, tenant.settings.staleAfterDays);
  const repo = personRepository(t);
  const report: CloseStaleReport = { tenantId: t.tenantId, today, candidates: 0, closed: 0, skipped: 0 };
  for await (const page of repo.lastSeenBefore(before)) {
    for (const due of page) {
      report.candidates++;
      const person = await repo.get(due.personId);
      if (person?.status !== 'active' || lastSeenOn(person) >= before) {
        report.skipped++;
        continue;
      }
      try {
        await repo.apply({
          transition: close(person, today, now.toISOString()),
          fromVersion: person.version,
          idHash: person.idHash,
          actor: systemActor('close-stale-registrations'),
        });
        report.closed++;
      } catch (error) {
        if (!(error instanceof StaleWriteError)) throw error;
        report.skipped++;
      }
    }
  }
  return report;
}
