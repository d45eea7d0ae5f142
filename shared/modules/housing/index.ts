import type { Module } from '../../platform/module.js';
import { housingCounters } from './counters.js';
import {
  flagExpiringLettersSchedule,
  letterEntities,
  letterIdPrefixes,
  letterIndexProjections,
  letterKeyPrefixes,
  letterRoutes,
} from './letters/index.js';
import { housingRoutes } from './routes.js';
import { houseIdPrefix, housingEventIdPrefix, landlordIdPrefix } from './rules/house.js';

/** Both parts' attributes of one index, each once. */
const merged = (...lists: readonly (readonly string[] | undefined)[]) => [
  ...new Set(lists.flatMap((l) => l ?? [])),
];

/**
 * The housing module (docs/housing.md): rental houses, landlords, letters, occupancy and bans.
 * This manifest names everything the module stores, the letters' records included (from
 * letters/index.ts), their routes (served by the same function) and their scheduled job.
 */
export const housingModule: Module = {
  name: 'housing',
  http: {
    name: 'housing',
    entry: 'functions/http/housing.ts',
    description: 'rental houses, landlords, letters',
    tableAccess: 'readWrite',
  },
  routes: [...Object.values(housingRoutes), ...Object.values(letterRoutes)],
  counters: housingCounters,
  schedules: [flagExpiringLettersSchedule],
  indexProjections: {
    // exactly what the housing counters read (counters.ts): ids, statuses, kinds and dates —
    // never a name, an ID number, a credit code or a phone
    byGrid: merged(
      [
        'entity',
        'gridId',
        'houseId',
        'status',
        'maxOccupants',
        'action',
        'registeredOn',
        'bannedOn',
        'closedOn',
      ],
      letterIndexProjections.byGrid,
    ),
    // what the house lists filter on (status, the key's grids, a landlord)
    byTenant: merged(['gridId', 'status', 'landlordId'], letterIndexProjections.byTenant),
    // a landlord's houses (the key's grids, status); a house's occupants (active only)
    byParent: merged(['gridId', 'status'], letterIndexProjections.byParent),
    // the lapsed-letter worklist filters on the key's grids
    due: merged(['gridId'], letterIndexProjections.due),
  },
  entities: [
    'house',
    'house-event',
    'landlord',
    'landlord-event',
    'plaque-guard',
    'landlord-guard',
    ...letterEntities,
  ],
  keyPrefixes: [
    'HOUSE',
    'PLAQUE',
    'LANDLORD',
    'LANDLORDID',
    'HOUSES',
    'LANDLORDS',
    'HOUSES-LAPSED',
    ...letterKeyPrefixes,
  ],
  idPrefixes: [houseIdPrefix, landlordIdPrefix, housingEventIdPrefix, ...letterIdPrefixes],
};
