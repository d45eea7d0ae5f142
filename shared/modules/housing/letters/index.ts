import type { ScheduleDefinition } from '../../../platform/module.js';
import type { IndexProjections } from '../../../platform/table/definition.js';
import { letterEventIdPrefix, letterIdPrefix } from './rules/letter.js';

/**
 * The letters part of the housing module, for its manifest (shared/modules/housing/index.ts
 * wires these in): routes, handlers, the problem mapper, the schedule, and what the letters
 * store. Only the housing manifest imports this file.
 */
export { letterProblem } from './errors.js';
export { letterHandlers } from './handlers.js';
export { letterRoutes } from './routes.js';

/** Runs `flagExpiringLettersInEveryTenant` (jobs.ts). */
export const flagExpiringLettersSchedule = {
  name: 'flag-expiring-letters',
  entry: 'functions/schedules/flag-expiring-letters.ts',
  description: 'Flag letters expiring within the tenant’s letterExpiryWarningDays; expire lapsed ones',
  at: { hour: 1, minute: 0 },
  timeZone: 'Asia/Shanghai',
  timeoutSeconds: 900,
  tableAccess: 'readWrite',
  // the tenant directory, the due partitions and a house's letters (Query); the tenant, each
  // candidate and a security letter's house (GetItem); a flag's or an expiry's transaction: the
  // letter and its event, a lapse's house event (Put), the lapsed house (Update)
  tableActions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  // a round stops before its time runs out and continues from the tenants done (jobs.ts)
  resumable: true,
  input: {},
} as const satisfies ScheduleDefinition;

/**
 * What the generic indexes must project for letters: ids, statuses, kinds and dates only (never
 * personal data — no signedBy, no revocation reason). byGrid: what reconciliation counts;
 * byTenant / byParent: what the lists filter on (and the job's "another valid security
 * letter?"); due: the worklist's grid scope.
 */
export const letterIndexProjections = {
  byGrid: ['entity', 'kind', 'status', 'signedOn', 'validFrom', 'validUntil', 'houseId', 'gridId'],
  byTenant: ['gridId', 'status', 'kind', 'validUntil'],
  byParent: ['letterId', 'gridId', 'status', 'kind', 'validFrom', 'validUntil'],
  due: ['gridId'],
} as const satisfies IndexProjections;

export const letterEntities = ['letter', 'letter-event'] as const;
/** Key segments after `TENANT#<t>#` of the letters' items and index partitions (housing/keys.ts). */
export const letterKeyPrefixes = ['LETTER', 'LETTERS', 'LETTERS-EXPIRING', 'LETTERS-LAPSING'] as const;
export const letterIdPrefixes = [letterIdPrefix, letterEventIdPrefix] as const;
