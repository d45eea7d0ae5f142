import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Person } from '../../../shared/modules/people/rules/person.js';
import { accessOf, identifiersShown, personView } from '../../../shared/modules/people/use-cases/view.js';
import type { Principal } from '../../../shared/platform/access/principal.js';
import type { Role } from '../../../shared/platform/access/roles.js';
import { defaultSettings } from '../../../shared/platform/settings.js';
import { registered } from '../people/person-fixtures.js';

/**
 * What each role sees of a person (contract: viewers never see raw ID or phone numbers; lists
 * show them to admin and office keys only), written out per role rather than derived from the
 * role helpers it checks.
 */
const ID = '11010519900101002X';
const ID_MASKED = '110105********002X';
const PHONE = '13812345678';
const PHONE_MASKED = '138****5678';

const principal = (role: Role): Principal => ({
  tenantId: 't_1',
  keyId: `k_${role}`,
  keyName: `${role} key`,
  role,
  gridIds: role === 'grid' ? ['g_1'] : undefined,
  settings: defaultSettings,
});

const person = (over: Partial<Person> = {}): Person => ({
  ...registered({ idNumber: ID, phone: PHONE }),
  ...over,
});

/** role → [on one record, in a list]: raw or masked. */
const expected: Record<Role, { record: 'raw' | 'masked'; list: 'raw' | 'masked' }> = {
  admin: { record: 'raw', list: 'raw' },
  office: { record: 'raw', list: 'raw' },
  grid: { record: 'raw', list: 'masked' },
  viewer: { record: 'masked', list: 'masked' },
};

const contractFields = [
  'personId',
  'cardNumber',
  'idNumber',
  'name',
  'sex',
  'birthDate',
  'flow',
  'gridId',
  // the contract's fields and what this implementation adds (docs/api.md): the house lived in
  'houseId',
  'address',
  'arrivedOn',
  'lastVerifiedOn',
  'maritalStatus',
  'phone',
  'occupation',
  'employer',
  'originRegion',
  'status',
  'departedOn',
  'departureReason',
  'version',
  'createdAt',
  'updatedAt',
].sort();

afterEach(() => vi.useRealTimers());

describe('personView', () => {
  for (const [role, sees] of Object.entries(expected) as [Role, (typeof expected)[Role]][]) {
    for (const inList of [false, true]) {
      const how = inList ? sees.list : sees.record;
      it(`${role} ${inList ? 'in a list' : 'on a record'}: ${how}`, () => {
        const view = personView(person(), principal(role), inList);
        expect(view.idNumber).toBe(how === 'raw' ? ID : ID_MASKED);
        expect(view.phone).toBe(how === 'raw' ? PHONE : PHONE_MASKED);
        const { idNumber: _i, phone: _p, ...rest } = view;
        const { idNumber: _ri, phone: _rp, closedOn: _c, ...stored } = person();
        expect(rest).toEqual(stored); // everything else as stored
      });
    }
  }

  it('keeps a missing phone null for every role', () => {
    for (const role of Object.keys(expected) as Role[])
      for (const inList of [false, true])
        expect(personView(person({ phone: null }), principal(role), inList).phone).toBeNull();
  });

  it('shows exactly the contract’s fields: nothing internal (closedOn, hashes) leaves', () => {
    const stored = {
      ...person({ closedOn: '2024-06-01' }),
      idHash: 'secret-hash',
      pk: 'TENANT#t_1',
    } as Person;
    for (const role of Object.keys(expected) as Role[]) {
      const view = personView(stored, principal(role), false);
      expect(Object.keys(view).sort()).toEqual(contractFields);
    }
  });
});

describe('identifiersShown and accessOf (the access log of raw identifiers)', () => {
  it('names the identifiers a role sees raw, exactly when personView shows them raw', () => {
    for (const [role, sees] of Object.entries(expected) as [Role, (typeof expected)[Role]][]) {
      for (const inList of [false, true]) {
        const raw = (inList ? sees.list : sees.record) === 'raw';
        expect(identifiersShown(person(), principal(role), inList), `${role} ${inList}`).toEqual(
          raw ? ['idNumber', 'phone'] : [],
        );
        expect(identifiersShown(person({ phone: null }), principal(role), inList)).toEqual(
          raw ? ['idNumber'] : [],
        );
      }
    }
  });

  it('an access entry for each response that shows a person raw, none for a masked one', () => {
    const p = person();
    expect(
      accessOf(p, { principal: principal('viewer'), route: 'GET /v1/people/{personId}', inList: false }),
    ).toBe(undefined);
    expect(accessOf(p, { principal: principal('grid'), route: 'GET /v1/people', inList: true })).toBe(
      undefined,
    );
    expect(
      accessOf(p, {
        principal: principal('grid'),
        route: 'GET /v1/people/{personId}',
        inList: false,
        at: '2024-06-30T08:00:00.000Z',
      }),
    ).toEqual({
      at: '2024-06-30T08:00:00.000Z',
      personId: p.personId,
      actor: { keyId: 'k_grid', name: 'grid key' },
      route: 'GET /v1/people/{personId}',
      fields: ['idNumber', 'phone'],
    });
    expect(
      accessOf(person({ phone: null }), {
        principal: principal('office'),
        route: 'GET /v1/people',
        inList: true,
      })?.fields,
    ).toEqual(['idNumber']);
  });

  it('stamps the entry with the current time unless told when', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-02T03:04:05.678Z'));
    expect(accessOf(person(), { principal: principal('admin'), route: 'r', inList: true })?.at).toBe(
      '2025-01-02T03:04:05.678Z',
    );
  });
});
