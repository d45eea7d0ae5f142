import { describe, expect, it } from 'vitest';
import { depart, register, update, verify } from '../../../shared/modules/people/rules/person.js';
import { ids, input, LATER, lifecycleError, NOW, registered, TODAY } from './person-fixtures.js';

/**
 * The house a person lives in (docs/housing.md, "Occupancy"): named at registration, by a
 * PATCH, or by a `moved` verification; a house never moves grids, so a person moving grid
 * leaves their house unless the move names the new one. Whether the house exists, takes people
 * and stands in the person's grid is the write's transaction's to check, not the rules'.
 */
describe('register with a house', () => {
  it('keeps the house it names', () => {
    const t = register(input({ houseId: 'h_1' }), ids, TODAY, NOW);
    expect(t.person.houseId).toBe('h_1');
    expect(t.changedFields).toEqual([]);
  });

  it.each([undefined, null])('without a house (%s) lives in none', (houseId) => {
    expect(registered(houseId === undefined ? {} : { houseId }).houseId).toBeNull();
  });
});

describe('update the house', () => {
  it('moves a person into a house, naming houseId as changed', () => {
    const p = registered();
    const t = update(p, { houseId: 'h_1' }, LATER);
    expect(t.person.houseId).toBe('h_1');
    expect(t.person.gridId).toBe(p.gridId);
    expect(t.changedFields).toEqual(['houseId']);
  });

  it('null clears the house', () => {
    const t = update(registered({ houseId: 'h_1' }), { houseId: null }, LATER);
    expect(t.person.houseId).toBeNull();
    expect(t.changedFields).toEqual(['houseId']);
  });

  it('the same house again changes nothing', () => {
    const p = registered({ houseId: 'h_1' });
    expect(lifecycleError(() => update(p, { houseId: 'h_1' }, LATER)).code).toBe('nothing-to-change');
    expect(lifecycleError(() => update(registered(), { houseId: null }, LATER)).code).toBe(
      'nothing-to-change',
    );
  });

  it('a new grid without a house leaves the house (a house never moves grids)', () => {
    const t = update(registered({ houseId: 'h_1' }), { gridId: 'g_2' }, LATER);
    expect(t.person.gridId).toBe('g_2');
    expect(t.person.houseId).toBeNull();
    expect([...t.changedFields].sort()).toEqual(['gridId', 'houseId']);
  });

  it('a new grid with a house moves into that house', () => {
    const t = update(registered({ houseId: 'h_1' }), { gridId: 'g_2', houseId: 'h_2' }, LATER);
    expect(t.person).toMatchObject({ gridId: 'g_2', houseId: 'h_2' });
    expect([...t.changedFields].sort()).toEqual(['gridId', 'houseId']);
  });

  it('a new grid naming the same house keeps it (the transaction then refuses it: other grid)', () => {
    const t = update(registered({ houseId: 'h_1' }), { gridId: 'g_2', houseId: 'h_1' }, LATER);
    expect(t.person).toMatchObject({ gridId: 'g_2', houseId: 'h_1' });
    expect(t.changedFields).toEqual(['gridId']);
  });

  it('the same grid named again keeps the house; other changes keep it too', () => {
    const p = registered({ houseId: 'h_1' });
    expect(update(p, { gridId: p.gridId, address: 'Room 2' }, LATER).person.houseId).toBe('h_1');
    expect(update(p, { phone: '13900001111' }, LATER).person.houseId).toBe('h_1');
  });

  it('a person without a house moving grid names no changed house', () => {
    const t = update(registered(), { gridId: 'g_2' }, LATER);
    expect(t.person.houseId).toBeNull();
    expect(t.changedFields).toEqual(['gridId']);
  });
});

describe('a verification and the house', () => {
  const on = '2024-06-01';

  it('moved may name a house (also without a new grid)', () => {
    const t = verify(registered(), { verifiedOn: on, outcome: 'moved', houseId: 'h_1' }, TODAY, LATER);
    expect(t.person.houseId).toBe('h_1');
    expect([...t.changedFields].sort()).toEqual(['houseId', 'lastVerifiedOn']);
  });

  it('moved may clear the house with null', () => {
    const t = verify(
      registered({ houseId: 'h_1' }),
      { verifiedOn: on, outcome: 'moved', houseId: null },
      TODAY,
      LATER,
    );
    expect(t.person.houseId).toBeNull();
    expect([...t.changedFields].sort()).toEqual(['houseId', 'lastVerifiedOn']);
  });

  it('moved to another grid without a house leaves the house', () => {
    const t = verify(
      registered({ houseId: 'h_1' }),
      { verifiedOn: on, outcome: 'moved', gridId: 'g_2' },
      TODAY,
      LATER,
    );
    expect(t.person).toMatchObject({ gridId: 'g_2', houseId: null });
    expect([...t.changedFields].sort()).toEqual(['gridId', 'houseId', 'lastVerifiedOn']);
  });

  it('moved to another grid and house moves into it', () => {
    const t = verify(
      registered({ houseId: 'h_1' }),
      { verifiedOn: on, outcome: 'moved', gridId: 'g_2', houseId: 'h_2' },
      TODAY,
      LATER,
    );
    expect(t.person).toMatchObject({ gridId: 'g_2', houseId: 'h_2' });
  });

  it('moved within the grid without naming a house keeps it', () => {
    const p = registered({ houseId: 'h_1' });
    const t = verify(
      p,
      { verifiedOn: on, outcome: 'moved', gridId: p.gridId, address: 'Room 9' },
      TODAY,
      LATER,
    );
    expect(t.person.houseId).toBe('h_1');
  });

  it.each(['present', 'absent'] as const)('%s may not name a house (not even null)', (outcome) => {
    for (const houseId of ['h_1', null]) {
      const e = lifecycleError(() =>
        verify(registered(), { verifiedOn: on, outcome, houseId }, TODAY, LATER),
      );
      expect(e).toMatchObject({
        code: 'field-not-allowed',
        field: 'houseId',
        message: 'only a "moved" verification changes the house',
      });
    }
  });

  it('present and absent keep the house', () => {
    const p = registered({ houseId: 'h_1' });
    expect(verify(p, { verifiedOn: on, outcome: 'present' }, TODAY, LATER).person.houseId).toBe('h_1');
    expect(verify(p, { verifiedOn: on, outcome: 'absent' }, TODAY, LATER).person.houseId).toBe('h_1');
  });

  it('a grid is still named first when a refused verification names both', () => {
    const e = lifecycleError(() =>
      verify(
        registered(),
        { verifiedOn: on, outcome: 'present', gridId: 'g_2', houseId: 'h_1' },
        TODAY,
        LATER,
      ),
    );
    expect(e.field).toBe('gridId');
  });
});

describe('a written-off person', () => {
  it('keeps the house on the record (the occupants index drops them, not the rule)', () => {
    const t = depart(
      registered({ houseId: 'h_1' }),
      { departedOn: '2024-05-01', reason: 'left' },
      TODAY,
      NOW,
    );
    expect(t.person).toMatchObject({ status: 'departed', houseId: 'h_1' });
    expect(t.changedFields).not.toContain('houseId');
  });
});
