import {
  type Contributions,
  type CounterItemRef,
  type CounterPlugin,
  countersOf,
  MalformedRecordError,
  type ReadContext,
  recordField,
  type StoredRecord,
} from '../../platform/counting.js';
import { monthOf } from '../../platform/dates.js';

/**
 * WHAT THE HOUSING COUNTERS MEAN — defined once, here (docs/housing.md, "Statistics"). Per grid:
 * - gauges, kept PER HOUSE so every figure can be read from them on any day with no nightly write:
 *   `house|<houseId>|<status>|<maxOccupants or ->` (one per house), `occ|<houseId>` (one per
 *   active person living there), `sec|<houseId>|<validFrom>|<validUntil>` (one per valid
 *   security responsibility letter of the house) and `letter|<validFrom>|<validUntil>` (one per
 *   valid letter of any kind). Every field of one house is in the same bucket (`houses-<n>`, by
 *   a hash of the houseId), so no counter item outgrows 400 KB however many houses a grid has;
 * - monthly flows, from house events (registered / banned / closed, by the event's day) and
 *   letters (signed, by `signedOn`).
 *
 * Only `valid` letters count in the gauges: a letter the job has `expired` has a validUntil
 * before the day it was expired, so it is valid on no later day — leaving it out changes no
 * figure read on or after that day, and keeps the gauges from growing with history.
 */
export const housingModule = 'housing';
const count = countersOf(housingModule);

/** How many gauge buckets a grid's houses are spread over. */
export const houseBucketCount = 8;

export function houseBucketOf(houseId: string): string {
  let h = 0;
  for (let i = 0; i < houseId.length; i++) h = (h * 31 + houseId.charCodeAt(i)) >>> 0;
  return `houses-${h % houseBucketCount}`;
}

/** The gauge item that holds every field of one house (in the house's grid). */
export const houseGaugeRef = (gridId: string, houseId: string): CounterItemRef => ({
  module: housingModule,
  gridId,
  kind: 'gauge',
  bucket: houseBucketOf(houseId),
});

export const gaugeField = {
  house: (houseId: string, status: string, maxOccupants: number | null) =>
    `house|${houseId}|${status}|${maxOccupants === null ? '-' : String(maxOccupants)}`,
  occupant: (houseId: string) => `occ|${houseId}`,
  securityLetter: (houseId: string, validFrom: string, validUntil: string) =>
    `sec|${houseId}|${validFrom}|${validUntil}`,
  letter: (validFrom: string, validUntil: string) => `letter|${validFrom}|${validUntil}`,
} as const;

export const monthField = {
  registered: 'housesRegisteredInMonth',
  banned: 'housesBannedInMonth',
  closed: 'housesClosedInMonth',
  lettersSigned: 'lettersSigned',
} as const;

/** House events that count in a month, and the day each is counted by. */
export const countedHouseEvents: Readonly<Record<string, { field: string; day: string }>> = {
  'created-as-registered': { field: monthField.registered, day: 'registeredOn' },
  registered: { field: monthField.registered, day: 'registeredOn' },
  reopened: { field: monthField.registered, day: 'registeredOn' },
  banned: { field: monthField.banned, day: 'bannedOn' },
  closed: { field: monthField.closed, day: 'closedOn' },
};

export const securityLetterKind = 'security-responsibility';

// A person counts by the house it lives in — `entity`, `status`, `gridId`, `houseId`, nothing
// else of it (the composition test holds the plug-in to that list: tests/unit/app).
const houseStatusesKnown = new Set(['discovered', 'registered', 'banned', 'closed']);

function maxOccupantsOf(record: StoredRecord): number | null {
  const v = record.maxOccupants;
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new MalformedRecordError('record has an invalid maxOccupants');
  }
  return v;
}

/** Which housing counters one record adds to. */
export function housingContributions(record: StoredRecord): Contributions {
  const out: Contributions = new Map();
  const { text, date, optionalText } = recordField;
  if (record.entity === 'house') {
    const gridId = text(record, 'gridId');
    const houseId = text(record, 'houseId');
    const status = text(record, 'status');
    if (!houseStatusesKnown.has(status)) throw new MalformedRecordError(`unknown house status ${status}`);
    count.gauge(
      out,
      { gridId, bucket: houseBucketOf(houseId) },
      gaugeField.house(houseId, status, maxOccupantsOf(record)),
    );
  } else if (record.entity === 'house-event') {
    // own keys only: an action of 'toString' must not reach the object's prototype
    const action = record.action;
    const counted =
      typeof action === 'string' && Object.hasOwn(countedHouseEvents, action)
        ? countedHouseEvents[action]
        : undefined;
    if (counted) {
      count.month(
        out,
        { gridId: text(record, 'gridId'), month: monthOf(date(record, counted.day)) },
        counted.field,
      );
    }
  } else if (record.entity === 'letter') {
    const gridId = text(record, 'gridId');
    count.month(out, { gridId, month: monthOf(date(record, 'signedOn')) }, monthField.lettersSigned);
    const status = text(record, 'status');
    if (status === 'valid') {
      const houseId = text(record, 'houseId');
      const validFrom = date(record, 'validFrom');
      const validUntil = date(record, 'validUntil');
      const at = { gridId, bucket: houseBucketOf(houseId) };
      count.gauge(out, at, gaugeField.letter(validFrom, validUntil));
      if (text(record, 'kind') === securityLetterKind) {
        count.gauge(out, at, gaugeField.securityLetter(houseId, validFrom, validUntil));
      }
    } else if (status !== 'expired' && status !== 'revoked') {
      throw new MalformedRecordError(`unknown letter status ${status}`);
    }
  } else if (record.entity === 'person') {
    // Occupancy: an active person naming a house (people/counters.ts counts the rest of them).
    const houseId = optionalText(record, 'houseId');
    if (houseId !== null && record.status === 'active') {
      count.gauge(
        out,
        { gridId: text(record, 'gridId'), bucket: houseBucketOf(houseId) },
        gaugeField.occupant(houseId),
      );
    }
  }
  return out;
}

/** The contract's housing counters of one grid (or a sum of grids). */
export interface HousingCounters {
  housesRegistered: number;
  housesDiscovered: number;
  housesBanned: number;
  housesClosed: number;
  housesLet: number;
  housesVacant: number;
  housesOverOccupied: number;
  housesWithoutValidSecurityLetter: number;
  lettersValid: number;
}

export const zeroHousingCounters = (): HousingCounters => ({
  housesRegistered: 0,
  housesDiscovered: 0,
  housesBanned: 0,
  housesClosed: 0,
  housesLet: 0,
  housesVacant: 0,
  housesOverOccupied: 0,
  housesWithoutValidSecurityLetter: 0,
  lettersValid: 0,
});

const within = (today: string, from: string | undefined, until: string | undefined) =>
  from !== undefined && until !== undefined && from <= today && today <= until;

/** The occupants of one house from its gauge fields (its bucket's, or a grid's merged). */
export function occupantsOf(gauges: ReadonlyMap<string, number>, houseId: string): number {
  return Math.max(0, gauges.get(gaugeField.occupant(houseId)) ?? 0);
}

/** Read a grid's gauges on `today`: the house statuses, occupancy and letters valid that day. */
export function housingCountersOn(gauges: ReadonlyMap<string, number>, today: string): HousingCounters {
  const c = zeroHousingCounters();
  const houses = new Map<string, { status: string; maxOccupants: number | null }>();
  const securedToday = new Set<string>();
  for (const [field, n] of gauges) {
    if (n <= 0) continue;
    const [kind, a, b, d] = field.split('|');
    if (kind === 'house' && a && b) {
      houses.set(a, { status: b, maxOccupants: d === undefined || d === '-' ? null : Number(d) });
    } else if (kind === 'sec' && a && within(today, b, d)) {
      securedToday.add(a);
    } else if (kind === 'letter' && within(today, a, b)) {
      c.lettersValid += n;
    }
  }
  for (const [houseId, { status, maxOccupants }] of houses) {
    const occupants = occupantsOf(gauges, houseId);
    if (status === 'registered') {
      c.housesRegistered++;
      if (occupants > 0) c.housesLet++;
      else c.housesVacant++;
      if (!securedToday.has(houseId)) c.housesWithoutValidSecurityLetter++;
    } else if (status === 'discovered') c.housesDiscovered++;
    else if (status === 'banned') c.housesBanned++;
    else if (status === 'closed') c.housesClosed++;
    if ((status === 'registered' || status === 'banned') && maxOccupants !== null && occupants > maxOccupants)
      c.housesOverOccupied++;
  }
  return c;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The rates, from summed counts (a grid, a community, the township). */
export function housingRates(counts: Readonly<Record<string, number>>): Record<string, number | null> {
  const registered = counts.housesRegistered ?? 0;
  return {
    registrationRate: ratio(registered, registered + (counts.housesDiscovered ?? 0)),
    occupancyRate: ratio(counts.housesLet ?? 0, registered),
  };
}

/** The housing module's counters, plugged into the statistics engine. */
export const housingCounters: CounterPlugin = {
  module: housingModule,
  entities: ['house', 'house-event', 'letter', 'person'],
  // AWS allows 5 filters per event source mapping (people use 2): house, letter and person
  // records in one, counted house events in the other.
  streamFilters: [
    { entity: ['house', 'letter', 'person'] },
    { entity: ['house-event'], action: Object.keys(countedHouseEvents) },
  ],
  contributions: housingContributions,
  fields: Object.keys(zeroHousingCounters()),
  derivedFields: ['registrationRate', 'occupancyRate'],
  read: (gauges, at: ReadContext) => ({ ...housingCountersOn(gauges, at.today) }) as Record<string, number>,
  derive: housingRates,
  monthFields: Object.values(monthField),
};
