import type { Actor } from '../../../../platform/access/principal.js';
import { todayIn } from '../../../../platform/dates.js';
import type { TenantContext } from '../../../../platform/table/tenant-context.js';
import { tenantRepository } from '../../../tenants/repository.js';
import {
  type HouseMark,
  letterRepository,
  StaleHouseError,
  StaleLetterWriteError,
} from '../repository/index.js';
import {
  expire,
  flagBefore,
  flagExpiring,
  isDueForFlag,
  isDueToExpire,
  leavesHouseWithoutSecurityLetter,
  securityKind,
  warningDaysOf,
} from '../rules/letter.js';

export const flagJobName = 'flag-expiring-letters';
export const jobActor: Actor = { keyId: 'system', name: flagJobName };

export interface FlagExpiringReport {
  tenantId: string;
  today: string;
  warningDays: number;
  /** Due-index entries read (both phases). */
  candidates: number;
  flagged: number;
  expired: number;
  /** Houses whose last security responsibility letter expired (marked `securityLetterLapsedOn`). */
  housesLapsed: number;
  /** Changed concurrently (revoked, flagged or expired by another run): that change won. */
  skipped: number;
  /** False when `shouldStop` ended the run early; a later run carries on from what is left. */
  complete: boolean;
}

export interface FlagExpiringOptions {
  /** Asked before each candidate after the first: true ends the run early (time budget). */
  shouldStop?: () => boolean;
}

/**
 * One tenant's letters job, O(due): phase 1 flags the valid, unflagged letters inside the
 * warning window (the expiring partitions, `validUntil < today + warningDays + 1`) and moves
 * them to the lapsing partitions; phase 2 expires the lapsing letters whose `validUntil` has
 * passed, and marks the house of a security letter that leaves it without one valid today.
 * Each candidate is read once (consistently) and written conditional on the version read, so a
 * second or concurrent run flags and expires nothing twice; what a run has done has left the
 * partition it queries, so a run stopped early (`shouldStop`) is simply run again.
 */
export async function flagExpiringLetters(
  t: TenantContext,
  now = new Date(),
  options: FlagExpiringOptions = {},
): Promise<FlagExpiringReport> {
  const tenant = await tenantRepository(t).get();
  const report: FlagExpiringReport = {
    tenantId: t.tenantId,
    today: '',
    warningDays: 0,
    candidates: 0,
    flagged: 0,
    expired: 0,
    housesLapsed: 0,
    skipped: 0,
    complete: true,
  };
  if (!tenant) return report;
  const today = todayIn(tenant.settings.timeZone, now);
  const warningDays = warningDaysOf(tenant.settings);
  Object.assign(report, { today, warningDays });
  const at = now.toISOString();
  const repo = letterRepository(t);
  const stop = () => report.candidates > 0 && options.shouldStop?.() === true;

  // Phase 1: flag.
  for await (const page of repo.dueBefore('expiring', flagBefore(today, warningDays))) {
    for (const key of page) {
      if (stop()) return { ...report, complete: false };
      report.candidates++;
      const letter = await repo.getByKey(key);
      if (!letter || !isDueForFlag(letter, today, warningDays)) {
        report.skipped++;
        continue;
      }
      try {
        await repo.apply({
          transition: flagExpiring(letter, today, warningDays, at),
          fromVersion: letter.version,
          actor: jobActor,
        });
        report.flagged++;
      } catch (error) {
        if (!(error instanceof StaleLetterWriteError)) throw error;
        report.skipped++;
      }
    }
  }

  // Phase 2: expire (and mark houses left without a valid security letter).
  for await (const page of repo.dueBefore('lapsing', today)) {
    for (const key of page) {
      if (stop()) return { ...report, complete: false };
      report.candidates++;
      const outcome = await expireOne(t, key, today, at);
      if (outcome === 'skipped') report.skipped++;
      else {
        report.expired++;
        if (outcome === 'expired-house-lapsed') report.housesLapsed++;
      }
    }
  }
  return report;
}

/** Expire one lapsing letter; a house that changed meanwhile is read again (a few times). */
async function expireOne(
  t: TenantContext,
  key: { pk: string; sk: string },
  today: string,
  at: string,
): Promise<'skipped' | 'expired' | 'expired-house-lapsed'> {
  const repo = letterRepository(t);
  for (let attempt = 0; ; attempt++) {
    const letter = await repo.getByKey(key);
    if (!letter || !isDueToExpire(letter, today)) return 'skipped';
    let houseMark: HouseMark | undefined;
    if (letter.kind === securityKind) {
      const house = await repo.house(letter.houseId);
      // Only a house that is let under the registry's watch needs a new letter: not a closed one
      // (letting stopped) — a banned or discovered one still does (people may live there).
      if (
        house &&
        house.status !== 'closed' &&
        house.securityLetterLapsedOn === null &&
        leavesHouseWithoutSecurityLetter(letter, await repo.lettersOfHouse(letter.houseId), today)
      ) {
        houseMark = { house, mark: { kind: 'lapsed', on: today } };
      }
    }
    try {
      await repo.apply({
        transition: expire(letter, today, at),
        fromVersion: letter.version,
        actor: jobActor,
        ...(houseMark ? { houseMark } : {}),
      });
      return houseMark ? 'expired-house-lapsed' : 'expired';
    } catch (error) {
      if (error instanceof StaleLetterWriteError) return 'skipped';
      if (error instanceof StaleHouseError && attempt < 3) continue;
      throw error;
    }
  }
}
