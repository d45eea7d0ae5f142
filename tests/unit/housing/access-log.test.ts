import { describe, expect, it } from 'vitest';
import { housingAccessItem } from '../../../shared/modules/housing/repository/access.js';
import { createLandlord } from '../../../shared/modules/housing/rules/landlord.js';
import {
  houseAccessOf,
  houseIdentifiersShown,
  houseView,
  landlordAccessOf,
  landlordIdentifiersShown,
  landlordView,
} from '../../../shared/modules/housing/use-cases/view.js';
import { makeIdNumber } from '../../../shared/modules/people/rules/id-number.js';
import type { Principal } from '../../../shared/platform/access/principal.js';
import type { Role } from '../../../shared/platform/access/roles.js';
import { defaultSettings } from '../../../shared/platform/settings.js';
import { house as houseOf, NOW, TODAY } from './house-fixtures.js';

/**
 * Which landlord and house views leave an access entry, per role, in a list or on a record —
 * written out per role (not derived from the role helpers), and held to the masking: an entry
 * exactly when the view shows a raw identifier, naming the fields shown, never their values.
 */
const ID = makeIdNumber({ region: '110105', birthDate: '1970-04-01', sequence: 12 });
const PHONE = '13800001111';
const CARETAKER_PHONE = '13911112222';
const SECURITY_PHONE = '13733334444';
const AT = '2026-03-15T10:00:00.000Z';

const principal = (role: Role): Principal => ({
  tenantId: 't_1',
  keyId: `k_${role}`,
  keyName: `${role} key`,
  role,
  gridIds: role === 'grid' ? ['g_1'] : undefined,
  settings: defaultSettings,
});

const individual = createLandlord(
  { kind: 'individual', name: 'Wang Fang', idNumber: ID, phone: PHONE, address: 'A' },
  'l_1',
  TODAY,
  NOW,
).landlord;
const organisation = createLandlord(
  {
    kind: 'organisation',
    name: 'Xinhua Property Co.',
    creditCode: '91350100M000100Y43',
    legalRepresentative: 'Li',
    phone: PHONE,
    address: 'B',
  },
  'l_2',
  TODAY,
  NOW,
).landlord;
const withContacts = houseOf({
  caretaker: { name: 'Zhao', phone: CARETAKER_PHONE },
  securityResponsible: { name: 'Qian', phone: SECURITY_PHONE },
});
const caretakerOnly = houseOf({ caretaker: { name: 'Zhao', phone: CARETAKER_PHONE } });
const noContacts = houseOf();
const intervals = { A: 30, B: 90, C: 180 };

/** role → [on one record, in a list]: raw or masked (docs/housing.md: "like people"). */
const expected: Record<Role, { record: 'raw' | 'masked'; list: 'raw' | 'masked' }> = {
  admin: { record: 'raw', list: 'raw' },
  office: { record: 'raw', list: 'raw' },
  grid: { record: 'raw', list: 'masked' },
  viewer: { record: 'masked', list: 'masked' },
};
const cases = (Object.entries(expected) as [Role, (typeof expected)[Role]][]).flatMap(([role, sees]) =>
  [false, true].map((inList) => ({ role, inList, raw: (inList ? sees.list : sees.record) === 'raw' })),
);
const where = (inList: boolean) => (inList ? 'in a list' : 'on a record');

describe('landlords: an access entry exactly for a raw view', () => {
  for (const { role, inList, raw } of cases) {
    it(`${role} ${where(inList)}: ${raw ? 'one entry' : 'none'}`, () => {
      const seen = { principal: principal(role), inList };
      const view = landlordView(individual, seen);
      expect(view.idNumber === ID).toBe(raw); // the masking this entry follows
      expect(view.phone === PHONE).toBe(raw);
      const entry = landlordAccessOf(individual, { ...seen, route: 'GET /v1/landlords', at: AT });
      if (!raw) {
        expect(entry).toBeUndefined();
        expect(landlordAccessOf(organisation, { ...seen, route: 'GET /v1/landlords' })).toBeUndefined();
        return;
      }
      expect(entry).toEqual({
        at: AT,
        subject: { kind: 'landlord', landlordId: 'l_1' },
        actor: { keyId: `k_${role}`, name: `${role} key` },
        route: 'GET /v1/landlords',
        fields: ['idNumber', 'phone'],
      });
      // an organisation has no ID number; its phone may be somebody's mobile
      expect(landlordAccessOf(organisation, { ...seen, route: 'GET /v1/landlords' })?.fields).toEqual([
        'phone',
      ]);
    });
  }

  it('names the fields shown, never their values', () => {
    expect(landlordIdentifiersShown(individual, { principal: principal('office'), inList: true })).toEqual([
      'idNumber',
      'phone',
    ]);
    const entry = landlordAccessOf(individual, {
      principal: principal('admin'),
      route: 'GET /v1/landlords/{landlordId}',
      inList: false,
    });
    const text = JSON.stringify(entry);
    expect(text).not.toContain(ID);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain('Wang Fang');
  });

  it('stamps the entry with the current time unless told when', () => {
    const before = Date.now();
    const entry = landlordAccessOf(individual, {
      principal: principal('admin'),
      route: 'GET /v1/landlords/{landlordId}',
      inList: false,
    });
    expect(Date.parse(entry?.at ?? '')).toBeGreaterThanOrEqual(before);
  });
});

describe('houses: an access entry exactly for a view showing a contact’s phone raw', () => {
  for (const { role, inList, raw } of cases) {
    it(`${role} ${where(inList)}: ${raw ? 'one entry per house with contacts' : 'none'}`, () => {
      const seen = { principal: principal(role), inList };
      const view = houseView(withContacts, { ...seen, occupants: 0, intervals });
      expect(view.caretaker?.phone === CARETAKER_PHONE).toBe(raw); // the masking this entry follows
      expect(view.securityResponsible?.phone === SECURITY_PHONE).toBe(raw);
      const entry = houseAccessOf(withContacts, { ...seen, route: 'GET /v1/houses', at: AT });
      expect(entry).toEqual(
        raw
          ? {
              at: AT,
              subject: { kind: 'house', houseId: withContacts.houseId },
              actor: { keyId: `k_${role}`, name: `${role} key` },
              route: 'GET /v1/houses',
              fields: ['caretaker.phone', 'securityResponsible.phone'],
            }
          : undefined,
      );
      expect(houseAccessOf(caretakerOnly, { ...seen, route: 'GET /v1/houses' })?.fields).toEqual(
        raw ? ['caretaker.phone'] : undefined,
      );
      // a house without contacts shows no identifier to anybody: no entry
      expect(houseIdentifiersShown(noContacts, seen)).toEqual([]);
      expect(houseAccessOf(noContacts, { ...seen, route: 'GET /v1/houses' })).toBeUndefined();
    });
  }
});

describe('the stored entry', () => {
  it('is kept beside its landlord or house and listed per API key, with no raw value', () => {
    const landlordEntry = landlordAccessOf(individual, {
      principal: principal('office'),
      route: 'GET /v1/landlords/{landlordId}',
      inList: false,
      at: AT,
    });
    const houseEntry = houseAccessOf(withContacts, {
      principal: principal('office'),
      route: 'GET /v1/houses/{houseId}',
      inList: false,
      at: AT,
    });
    if (!landlordEntry || !houseEntry) throw new Error('an office key sees both raw');
    const l = housingAccessItem({ tenantId: 't_1' }, landlordEntry);
    expect(l.pk).toBe('TENANT#t_1#LANDLORD#l_1');
    expect(l.sk).toMatch(new RegExp(`^ACCESS#${AT}#`));
    expect(l.tenantListPk).toBe('TENANT#t_1#ACCESS#k_office');
    expect(l.gridSk).toBe(l.sk);
    expect(l.entity).toBe('access');
    const h = housingAccessItem({ tenantId: 't_1' }, houseEntry);
    expect(h.pk).toBe(`TENANT#t_1#HOUSE#${withContacts.houseId}`);
    expect(h.tenantListPk).toBe('TENANT#t_1#ACCESS#k_office');
    for (const item of [l, h]) {
      const text = JSON.stringify(item);
      for (const secret of [ID, PHONE, CARETAKER_PHONE, SECURITY_PHONE, 'Wang Fang', 'Zhao', 'Qian'])
        expect(text).not.toContain(secret);
    }
  });
});
