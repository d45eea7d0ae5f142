import type { Module, ScheduleDefinition } from '../../platform/module.js';
import { peopleCounters } from './counters.js';
import { peopleRoutes } from './routes.js';
import { accessEntryIdPrefix, eventIdPrefix, personIdPrefix } from './rules/person.js';

/** Runs `closeStaleInEveryTenant` (jobs.ts). */
export const closeStaleSchedule = {
  name: 'close-stale-registrations',
  entry: 'functions/schedules/close-stale-registrations.ts',
  description: 'Close active registrations nobody verified within the tenant’s staleAfterDays',
  at: { hour: 0, minute: 30 },
  timeZone: 'Asia/Shanghai',
  timeoutSeconds: 900,
  tableAccess: 'readWrite',
  // the tenant directory and the due index (Query); the tenant and each candidate (GetItem); a
  // closure's transaction: the person and its history event (Put), the ID-number guard (Delete)
  tableActions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  // a round stops before its time runs out and continues from the tenants done (jobs.ts)
  resumable: true,
  input: {},
} as const satisfies ScheduleDefinition;

export const peopleModule: Module = {
  name: 'people',
  http: {
    name: 'people',
    entry: 'functions/http/people.ts',
    description: 'registrations',
    tableAccess: 'readWrite',
  },
  routes: Object.values(peopleRoutes),
  counters: peopleCounters,
  schedules: [closeStaleSchedule],
  indexProjections: {
    // exactly what the people counters read: never names, ID or phone numbers
    byGrid: [
      'entity',
      'action',
      'gridId',
      'flow',
      'sex',
      'birthDate',
      'maritalStatus',
      'status',
      'arrivedOn',
      'lastVerifiedOn',
      'departedOn',
      'closedOn',
      'verifiedOn',
      // the housing counters count active people by the house they live in (an id, not personal data)
      'houseId',
    ],
    due: ['lastSeenOn', 'version', 'gridId'],
    // what a tenant-wide list filters on (status, the key's grids)
    byTenant: ['gridId', 'status'],
    // what a house's occupants list filters on (the key's grids, active only)
    byParent: ['gridId', 'status'],
  },
  entities: ['person', 'history', 'id-guard', 'card-sequence', 'access'],
  keyPrefixes: ['PERSON', 'IDNO', 'DUE', 'SEQUENCE', 'PEOPLE', 'ACCESS'],
  idPrefixes: [personIdPrefix, eventIdPrefix, accessEntryIdPrefix],
};
