import type { Module } from '../../platform/module.js';
import { housingCounters } from './counters.js';
import { housingRoutes } from './routes.js';
import { houseIdPrefix, housingEventIdPrefix, landlordIdPrefix, letterIdPrefix } from './rules/house.js';

/**
 * The housing module (docs/housing.md): rental houses, landlords, letters, occupancy and bans.
 * This manifest names everything the module stores, the letters' records included (their routes
 * and job come with shared/modules/housing/letters/).
 */
export const housingModule: Module = {
  name: 'housing',
  http: {
    name: 'housing',
    entry: 'functions/http/housing.ts',
    description: 'rental houses, landlords',
    tableAccess: 'readWrite',
  },
  routes: Object.values(housingRoutes),
  counters: housingCounters,
  indexProjections: {
    // exactly what the housing counters read (counters.ts): ids, statuses, kinds and dates —
    // never a name, an ID number, a credit code or a phone
    byGrid: [
      'entity',
      'gridId',
      'houseId',
      'status',
      'maxOccupants',
      'action',
      'registeredOn',
      'bannedOn',
      'closedOn',
      'kind',
      'signedOn',
      'validFrom',
      'validUntil',
    ],
    // what the house lists filter on (status, the key's grids, a landlord)
    byTenant: ['gridId', 'status', 'landlordId'],
    // a landlord's houses (the key's grids, status); a house's occupants (active only)
    byParent: ['gridId', 'status'],
    // the lapsed-letter worklist filters on the key's grids
    due: ['gridId'],
  },
  entities: [
    'house',
    'house-event',
    'landlord',
    'landlord-event',
    'plaque-guard',
    'landlord-guard',
    'letter',
    'letter-event',
  ],
  keyPrefixes: [
    'HOUSE',
    'PLAQUE',
    'LANDLORD',
    'LANDLORDID',
    'HOUSES',
    'LANDLORDS',
    'HOUSES-LAPSED',
    'LETTER',
    'LETTERS',
    'LETTERS-EXPIRING',
    'LETTERS-LAPSING',
  ],
  idPrefixes: [houseIdPrefix, landlordIdPrefix, housingEventIdPrefix, letterIdPrefix],
};
