import { describe, expect, it } from 'vitest';
import {
  banHouse,
  closeHouse,
  createHouse,
  type House,
  HouseRuleError,
  inspectHouse,
  inspectionDueOn,
  isOverOccupied,
  liftBan,
  normalisePlaque,
  plaqueHash,
  registerHouse,
  reopenHouse,
  updateHouse,
} from '../../../shared/modules/housing/rules/house.js';
import { house, houseInput, LATER, NOW, TODAY } from './house-fixtures.js';

const intervals = { A: 30, B: 90, C: 180 };

function ruleError(run: () => unknown): HouseRuleError {
  try {
    run();
  } catch (error) {
    if (error instanceof HouseRuleError) return error;
    throw error;
  }
  throw new Error('expected a HouseRuleError');
}

describe('plaques', () => {
  it('normalise: trimmed, upper-case, inner white space as one space', () => {
    expect(normalisePlaque('  xh-003 \t  b\n')).toBe('XH-003 B');
    expect(normalisePlaque('XH-003 B')).toBe('XH-003 B');
  });

  it('hash by the normalised plaque: spellings of one plaque share a guard, others do not', () => {
    expect(plaqueHash(' xh-003   b')).toBe(plaqueHash('XH-003 B'));
    expect(plaqueHash('XH-003 B')).not.toBe(plaqueHash('XH-003B'));
    expect(plaqueHash('XH-003 B')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('creating a house', () => {
  it('registered at once: registeredOn (default today), the landlord, version 1, normalised plaque', () => {
    const tr = createHouse(houseInput({ registeredOn: undefined }), 'h_1', TODAY, NOW);
    expect(tr.action).toBe('created-as-registered');
    expect(tr.changedFields).toEqual([]);
    expect(tr.house).toMatchObject({
      houseId: 'h_1',
      status: 'registered',
      registeredOn: TODAY,
      discoveredOn: null,
      plaque: 'XH-003 B',
      landlordId: 'l_1',
      maxOccupants: null,
      securityLetterLapsedOn: null,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('discovered: discoveredOn (default today), no landlord needed', () => {
    const tr = createHouse(
      houseInput({ status: 'discovered', landlordId: null, registeredOn: undefined }),
      'h_1',
      TODAY,
      NOW,
    );
    expect(tr.action).toBe('created-as-discovered');
    expect(tr.house).toMatchObject({
      status: 'discovered',
      discoveredOn: TODAY,
      registeredOn: null,
      landlordId: null,
    });
  });

  it('refuses a registered house without a landlord, future dates, and dates of the other status', () => {
    expect(ruleError(() => createHouse(houseInput({ landlordId: null }), 'h', TODAY, NOW))).toMatchObject({
      code: 'landlord-required',
      field: 'landlordId',
    });
    expect(
      ruleError(() => createHouse(houseInput({ registeredOn: '2026-03-16' }), 'h', TODAY, NOW)),
    ).toMatchObject({ code: 'date-in-future', field: 'registeredOn' });
    expect(
      ruleError(() => createHouse(houseInput({ discoveredOn: '2026-01-01' }), 'h', TODAY, NOW)).field,
    ).toBe('discoveredOn');
    expect(
      ruleError(() =>
        createHouse(houseInput({ status: 'discovered', registeredOn: '2026-01-01' }), 'h', TODAY, NOW),
      ).field,
    ).toBe('registeredOn');
  });
});

describe('the lifecycle', () => {
  const discovered = () =>
    house({ status: 'discovered', landlordId: null, registeredOn: undefined, discoveredOn: '2026-01-05' });

  it('register: discovered → registered with a landlord, not before its discovery', () => {
    const tr = registerHouse(discovered(), { landlordId: 'l_2', registeredOn: '2026-02-01' }, TODAY, LATER);
    expect(tr).toMatchObject({
      action: 'registered',
      house: {
        status: 'registered',
        registeredOn: '2026-02-01',
        landlordId: 'l_2',
        version: 2,
        updatedAt: LATER,
      },
    });
    expect(tr.changedFields.sort()).toEqual(['landlordId', 'registeredOn', 'status']);
    expect(ruleError(() => registerHouse(discovered(), {}, TODAY, LATER)).code).toBe('landlord-required');
    expect(
      ruleError(() =>
        registerHouse(discovered(), { landlordId: 'l', registeredOn: '2026-01-01' }, TODAY, LATER),
      ),
    ).toMatchObject({ code: 'date-out-of-order', field: 'registeredOn' });
    expect(ruleError(() => registerHouse(house(), {}, TODAY, LATER)).code).toBe('wrong-status');
  });

  it('ban and lift: registered → banned → registered, the ban kept while banned', () => {
    const banned = banHouse(
      house(),
      { reason: 'illegal', basis: 'rule 7', bannedOn: '2026-03-01' },
      TODAY,
      LATER,
    );
    expect(banned.house).toMatchObject({
      status: 'banned',
      bannedOn: '2026-03-01',
      ban: { reason: 'illegal', basis: 'rule 7', bannedOn: '2026-03-01' },
    });
    const lifted = liftBan(banned.house, { liftedOn: '2026-03-10' }, TODAY, LATER);
    expect(lifted.action).toBe('lifted');
    expect(lifted.house).toMatchObject({
      status: 'registered',
      bannedOn: null,
      ban: null,
      registeredOn: '2026-01-10',
    });
    expect(ruleError(() => liftBan(banned.house, { liftedOn: '2026-02-01' }, TODAY, LATER)).code).toBe(
      'date-out-of-order',
    );
    expect(
      ruleError(() => banHouse(discovered(), { reason: 'r', basis: 'b', bannedOn: TODAY }, TODAY, LATER))
        .code,
    ).toBe('wrong-status');
    expect(ruleError(() => liftBan(house(), { liftedOn: TODAY }, TODAY, LATER)).code).toBe('wrong-status');
  });

  it('close and reopen: registered → closed → registered with a new registeredOn', () => {
    const closed = closeHouse(house(), { reason: 'demolished', closedOn: '2026-03-01' }, TODAY, LATER);
    expect(closed.house).toMatchObject({
      status: 'closed',
      closedOn: '2026-03-01',
      closure: { reason: 'demolished', closedOn: '2026-03-01' },
    });
    const reopened = reopenHouse(closed.house, { registeredOn: '2026-03-10' }, TODAY, LATER);
    expect(reopened).toMatchObject({
      action: 'reopened',
      house: { status: 'registered', registeredOn: '2026-03-10', closedOn: null, closure: null },
    });
    expect(
      ruleError(() => reopenHouse(closed.house, { registeredOn: '2026-02-01' }, TODAY, LATER)).code,
    ).toBe('date-out-of-order');
    expect(
      ruleError(() => closeHouse(closed.house, { reason: 'other', closedOn: TODAY }, TODAY, LATER)).code,
    ).toBe('wrong-status');
    expect(ruleError(() => reopenHouse(house(), { registeredOn: TODAY }, TODAY, LATER)).code).toBe(
      'wrong-status',
    );
  });

  it('inspect: any status but closed; lastInspectedOn never moves backwards', () => {
    const first = inspectHouse(house(), { inspectedOn: '2026-03-01', findings: 'ok' }, TODAY, LATER);
    expect(first.house).toMatchObject({
      lastInspectedOn: '2026-03-01',
      lastInspection: { inspectedOn: '2026-03-01', findings: 'ok', hazard: false },
    });
    const older = inspectHouse(
      first.house,
      { inspectedOn: '2026-02-01', findings: 'late entry' },
      TODAY,
      LATER,
    );
    expect(older.house.lastInspectedOn).toBe('2026-03-01');
    expect(older.house.version).toBe(first.house.version + 1);
    expect(older.changedFields).toEqual([]);
    const closed = closeHouse(house(), { reason: 'other', closedOn: TODAY }, TODAY, LATER).house;
    expect(
      ruleError(() => inspectHouse(closed, { inspectedOn: TODAY, findings: 'x' }, TODAY, LATER)).code,
    ).toBe('wrong-status');
    expect(
      ruleError(() => inspectHouse(house(), { inspectedOn: '2026-03-16', findings: 'x' }, TODAY, LATER)).code,
    ).toBe('date-in-future');
  });

  it('update: names the fields that change (plaque compared normalised), nothing-to-change otherwise', () => {
    const h = house();
    const tr = updateHouse(h, { maxOccupants: 4, plaque: ' xh-003 b ', address: h.address }, LATER);
    expect(tr.changedFields).toEqual(['maxOccupants']);
    expect(ruleError(() => updateHouse(h, { plaque: 'XH-003   B' }, LATER)).code).toBe('nothing-to-change');
    expect(ruleError(() => updateHouse(h, { landlordId: null }, LATER))).toMatchObject({
      code: 'landlord-required',
      field: 'landlordId',
    });
    expect(updateHouse(discovered(), { landlordId: 'l_9' }, LATER).changedFields).toEqual(['landlordId']);
  });
});

describe('derived fields', () => {
  const base = (over: Partial<House>): House => ({ ...house(), ...over });

  it('inspectionDueOn: last inspection, else registration, plus the class interval; none when closed or never seen', () => {
    expect(inspectionDueOn(base({ managementClass: 'A', registeredOn: '2026-01-01' }), intervals)).toBe(
      '2026-01-31',
    );
    expect(
      inspectionDueOn(
        base({ managementClass: 'C', registeredOn: '2026-01-01', lastInspectedOn: '2026-02-01' }),
        intervals,
      ),
    ).toBe('2026-07-31');
    expect(inspectionDueOn(base({ status: 'closed' }), intervals)).toBeNull();
    expect(inspectionDueOn(base({ status: 'discovered', registeredOn: null }), intervals)).toBeNull();
    expect(
      inspectionDueOn(base({ managementClass: 'B', registeredOn: '2026-01-01' }), { A: 1, B: 2, C: 3 }),
    ).toBe('2026-01-03');
  });

  it('over-occupied only with a ceiling and more occupants than it allows', () => {
    expect(isOverOccupied(null, 50)).toBe(false);
    expect(isOverOccupied(3, 3)).toBe(false);
    expect(isOverOccupied(3, 4)).toBe(true);
  });

  it('the fixture dates are consistent', () => {
    expect(NOW.startsWith(TODAY)).toBe(true);
  });
});
