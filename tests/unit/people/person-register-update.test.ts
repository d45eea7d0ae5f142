import { describe, expect, it } from 'vitest';
import { register, update } from '../../../shared/modules/people/rules/person.js';
import { addDays } from '../../../shared/platform/dates.js';
import {
  ARRIVED,
  closed,
  departed,
  differingFields,
  ids,
  input,
  LATER,
  lifecycleError,
  NOW,
  registered,
  TODAY,
} from './person-fixtures.js';

describe('register', () => {
  it('creates an active registration at version 1 with the given fields', () => {
    const t = register(input({ phone: '13800001234', occupation: 'cook' }), ids, TODAY, NOW);
    expect(t.action).toBe('registered');
    expect(t.changedFields).toEqual([]);
    expect(t.person).toEqual({
      personId: 'p_01TEST',
      cardNumber: 'C000001',
      idNumber: '11010519900101002X',
      name: 'Zhang San',
      sex: 'female',
      birthDate: '1990-01-01',
      flow: 'inflow',
      gridId: 'g_1',
      address: 'Building 3, Room 201',
      houseId: null,
      arrivedOn: ARRIVED,
      lastVerifiedOn: null,
      maritalStatus: 'married',
      phone: '13800001234',
      occupation: 'cook',
      employer: null,
      originRegion: null,
      status: 'active',
      departedOn: null,
      departureReason: null,
      closedOn: null,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('turns omitted and null optional fields into null', () => {
    const p = registered({ phone: null, lastVerifiedOn: null });
    expect(p.phone).toBeNull();
    expect(p.lastVerifiedOn).toBeNull();
    expect(p.occupation).toBeNull();
    expect(p.employer).toBeNull();
    expect(p.originRegion).toBeNull();
  });

  it('accepts back-filled dates and dates equal to today', () => {
    expect(registered({ arrivedOn: TODAY }).arrivedOn).toBe(TODAY);
    expect(registered({ arrivedOn: '2001-03-04' }).arrivedOn).toBe('2001-03-04');
    expect(registered({ lastVerifiedOn: TODAY }).lastVerifiedOn).toBe(TODAY);
    expect(registered({ lastVerifiedOn: ARRIVED }).lastVerifiedOn).toBe(ARRIVED);
  });

  it('refuses an arrival in the future', () => {
    const e = lifecycleError(() => registered({ arrivedOn: addDays(TODAY, 1) }));
    expect(e).toMatchObject({ code: 'date-in-future', field: 'arrivedOn' });
  });

  it('refuses a lastVerifiedOn in the future', () => {
    const e = lifecycleError(() => registered({ lastVerifiedOn: addDays(TODAY, 1) }));
    expect(e).toMatchObject({ code: 'date-in-future', field: 'lastVerifiedOn' });
  });

  it('refuses a lastVerifiedOn before the arrival', () => {
    const e = lifecycleError(() => registered({ lastVerifiedOn: addDays(ARRIVED, -1) }));
    expect(e).toMatchObject({ code: 'date-before-arrival', field: 'lastVerifiedOn' });
  });

  it('refuses a birth after the arrival, accepts a birth on the arrival day', () => {
    const e = lifecycleError(() => registered({ birthDate: addDays(ARRIVED, 1) }));
    expect(e).toMatchObject({ code: 'date-before-arrival', field: 'arrivedOn' });
    expect(registered({ birthDate: ARRIVED }).birthDate).toBe(ARRIVED);
  });

  it('does not mutate its input', () => {
    const i = input({ lastVerifiedOn: '2024-02-01' });
    const copy = structuredClone(i);
    register(i, ids, TODAY, NOW);
    expect(i).toEqual(copy);
  });
});

describe('update', () => {
  it('changes the given fields, bumps the version and names what changed', () => {
    const p = registered();
    const t = update(p, { phone: '13900001111', employer: 'ACME' }, LATER);
    expect(t.action).toBe('updated');
    expect([...t.changedFields].sort()).toEqual(['employer', 'phone']);
    expect(t.person.version).toBe(2);
    expect(t.person.updatedAt).toBe(LATER);
    expect(t.person.createdAt).toBe(NOW);
    expect(t.person.phone).toBe('13900001111');
    expect(t.person.employer).toBe('ACME');
    expect(differingFields(p, t.person)).toEqual(['employer', 'phone']);
  });

  it('lists field names only, never values', () => {
    const t = update(registered(), { phone: '13900001111' }, LATER);
    expect(t.changedFields).toEqual(['phone']);
    expect(t.changedFields.join()).not.toContain('139');
  });

  it('leaves out fields given with their current value', () => {
    const p = registered();
    const t = update(p, { gridId: p.gridId, address: 'New address', maritalStatus: p.maritalStatus }, LATER);
    expect(t.changedFields).toEqual(['address']);
  });

  it('moves a person to another grid', () => {
    const t = update(registered(), { gridId: 'g_2' }, LATER);
    expect(t.person.gridId).toBe('g_2');
    expect(t.changedFields).toEqual(['gridId']);
  });

  it('refuses a change that changes nothing', () => {
    const p = registered();
    expect(lifecycleError(() => update(p, {}, LATER)).code).toBe('nothing-to-change');
    expect(lifecycleError(() => update(p, { gridId: p.gridId, phone: p.phone }, LATER)).code).toBe(
      'nothing-to-change',
    );
  });

  it('does not mutate the person it is given', () => {
    const p = registered();
    const copy = structuredClone(p);
    update(p, { phone: '13900001111' }, LATER);
    expect(p).toEqual(copy);
  });

  it.each([
    ['departed', departed],
    ['closed', closed],
  ])('refuses to change a %s registration', (_status, make) => {
    const p = make();
    const e = lifecycleError(() => update(p, { phone: '13900001111' }, LATER));
    expect(e.code).toBe('not-active');
  });
});
