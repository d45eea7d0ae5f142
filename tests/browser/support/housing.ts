/** Arranging housing data straight through the API (landlords, houses, letters) for the browser tests. */
import { call, nextIdNumber } from './api.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
async function ok<T = any>(promise: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const res = await promise;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let plaques = 0;
/** A plaque number no other house of the run has. */
export function nextPlaque(prefix = 'T'): string {
  plaques += 1;
  return `${prefix}-${Date.now().toString(36)}-${plaques}`;
}

export async function addLandlord(
  key: string,
  extra: Record<string, unknown> = {},
): Promise<{ landlordId: string; idNumber: string; version: number }> {
  const idNumber =
    (extra.idNumber as string | undefined) ?? nextIdNumber({ sex: 'male', birthDate: '1968-03-09' });
  const landlord = await ok(
    call('POST', '/v1/landlords', key, {
      kind: 'individual',
      name: 'Zhang Wei',
      idNumber,
      phone: '13900001111',
      address: 'Riverside Village 8',
      ...extra,
    }),
    'landlord',
  );
  return { landlordId: landlord.landlordId, idNumber, version: landlord.version };
}

export async function addHouse(
  key: string,
  gridId: string,
  extra: Record<string, unknown> = {},
): Promise<{ houseId: string; version: number; plaque: string }> {
  const plaque = (extra.plaque as string | undefined) ?? nextPlaque();
  const house = await ok(
    call('POST', '/v1/houses', key, {
      gridId,
      status: 'registered',
      address: { estate: 'Xingfu Estate', building: '1', unit: '1', floor: '1', room: '101' },
      plaque,
      houseType: 'suite',
      use: 'dwelling',
      lettingMode: 'whole',
      managementClass: 'B',
      maxOccupants: 4,
      ...extra,
    }),
    'house',
  );
  return { houseId: house.houseId, version: house.version, plaque };
}

export async function signLetter(
  key: string,
  houseId: string,
  party: { kind: 'landlord'; landlordId: string } | { kind: 'person'; personId: string },
  extra: Record<string, unknown> = {},
): Promise<{ letterId: string; version: number }> {
  const letter = await ok(
    call('POST', '/v1/letters', key, {
      kind: 'security-responsibility',
      party,
      houseId,
      signedOn: '2026-01-05',
      validFrom: '2026-01-05',
      validUntil: '2027-01-04',
      ...extra,
    }),
    'letter',
  );
  return { letterId: letter.letterId, version: letter.version };
}

/** GET until `check` accepts the body (the statistics and occupancy follow a write within seconds). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}

const creditCharset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const creditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** A unified social credit code (GB 32100-2015) with its check character, from 17 characters. */
export function creditCode(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += creditCharset.indexOf(first17[i]!) * creditWeights[i]!;
  return first17 + creditCharset[(31 - (sum % 31)) % 31];
}
