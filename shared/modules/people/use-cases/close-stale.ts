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
  /**
   * False when `shouldStop` ended the run early: a later run carries on (what was closed has
   * left the sparse due index, so it simply finds what is left).
   */
  complete: boolean;
}

export interface CloseStaleOptions {
  /** Asked before each candidate after the first: true ends the run early (time budget). */
  shouldStop?: () => boolean;
}

/**
 * Close every active registration of one tenant last seen more than `staleAfterDays` ago. Reads
 * only the due index (O(due)); each closure is a conditional write on the version it read, so a
 * verification landing concurrently wins, and a second run finds nothing left to close. With
 * `shouldStop`, it stops between candidates (always after at least one, so a run under any
 * budget makes progress) and reports `complete: false`.
 */
export async function closeStaleRegistrations(
  t: TenantContext,
  now = new Date(),
  options: CloseStaleOptions = {},
): Promise<CloseStaleReport> {
  const tenant = await tenantRepository(t).get();
  if (!tenant)
    return { tenantId: t.tenantId, today: '', candidates: 0, closed: 0, skipped: 0, complete: true };
  const today = todayIn(tenant.settings.timeZone, now);
  const before = overdueBefore(today, tenant.settings.staleAfterDays);
  const repo = personRepository(t);
  const report: CloseStaleReport = {
    tenantId: t.tenantId,
    today,
    candidates: 0,
    closed: 0,
    skipped: 0,
    complete: true,
  };
  for await (const page of repo.lastSeenBefore(before)) {
    for (const due of page) {
      if (report.candidates > 0 && options.shouldStop?.()) {
        report.complete = false;
        return report;
      }
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
