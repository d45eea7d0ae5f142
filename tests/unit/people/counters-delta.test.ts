import { describe, expect, it } from 'vitest';
import { engine } from '../../../shared/app/index.js';
import { person, plain, verification } from './counter-fixtures.js';

/** What one write of a person or history record changes in the people counters (the engine's delta). */
describe('delta', () => {
  it('a registration (no old image) adds its contributions', () => {
    const p = person();
    expect(plain(engine.delta(undefined, p))).toEqual(plain(engine.contributions(p)));
  });

  it('a removal (no new image) subtracts them', () => {
    expect(plain(engine.delta(person(), undefined))).toEqual({
      'people|g1|month|2024-03': { registered: -1 },
      'people|g1|gauge|': {
        'flow|inflow': -1,
        'women|inflow|married|1990-05-05': -1,
        'seen|2024-03-10': -1,
      },
    });
  });

  it('no images, or identical images, change nothing', () => {
    expect(engine.delta(undefined, undefined).size).toBe(0);
    expect(engine.delta(person(), person()).size).toBe(0);
    expect(engine.delta(verification(), verification()).size).toBe(0);
  });

  it('a phone-only change is an empty delta', () => {
    expect(engine.delta(person({ phone: '13800000001' }), person({ phone: '13900000002' })).size).toBe(0);
  });

  it('a move between grids moves the gauges and the month of registration', () => {
    expect(plain(engine.delta(person(), person({ gridId: 'g2' })))).toEqual({
      'people|g1|month|2024-03': { registered: -1 },
      'people|g1|gauge|': {
        'flow|inflow': -1,
        'women|inflow|married|1990-05-05': -1,
        'seen|2024-03-10': -1,
      },
      'people|g2|month|2024-03': { registered: 1 },
      'people|g2|gauge|': {
        'flow|inflow': 1,
        'women|inflow|married|1990-05-05': 1,
        'seen|2024-03-10': 1,
      },
    });
  });

  it('a verification moves the last-seen day only', () => {
    expect(plain(engine.delta(person(), person({ lastVerifiedOn: '2024-06-01' })))).toEqual({
      'people|g1|gauge|': { 'seen|2024-03-10': -1, 'seen|2024-06-01': 1 },
    });
  });

  it('a marriage moves the woman between the married and other gauges', () => {
    expect(
      plain(engine.delta(person({ maritalStatus: 'single' }), person({ maritalStatus: 'married' }))),
    ).toEqual({
      'people|g1|gauge|': { 'women|inflow|other|1990-05-05': -1, 'women|inflow|married|1990-05-05': 1 },
    });
  });

  it('a change of birth date across a 5-year span moves the woman between women buckets', () => {
    const d = engine.delta(person({ birthDate: '1994-12-31' }), person({ birthDate: '1995-01-01' }));
    expect(Object.fromEntries([...d].map(([id, fields]) => [id, Object.fromEntries(fields)]))).toEqual({
      'people|g1|gauge|women-1990': { 'women|inflow|married|1994-12-31': -1 },
      'people|g1|gauge|women-1995': { 'women|inflow|married|1995-01-01': 1 },
    });
  });

  it('a departure removes the gauges and adds the departed month; registered is unchanged', () => {
    const old = person({ lastVerifiedOn: '2024-04-01' });
    expect(plain(engine.delta(old, { ...old, status: 'departed', departedOn: '2024-06-15' }))).toEqual({
      'people|g1|gauge|': {
        'flow|inflow': -1,
        'women|inflow|married|1990-05-05': -1,
        'seen|2024-04-01': -1,
      },
      'people|g1|month|2024-06': { departed: 1 },
    });
  });

  it('a stale closure removes the gauges and adds closedStale in the month it was closed', () => {
    const old = person({ sex: 'male', flow: 'outflow' });
    expect(plain(engine.delta(old, { ...old, status: 'closed', closedOn: '2024-08-01' }))).toEqual({
      'people|g1|gauge|': { 'flow|outflow': -1, 'seen|2024-03-10': -1 },
      'people|g1|month|2024-08': { closedStale: 1 },
    });
  });

  it('a new verification record adds one verified', () => {
    expect(plain(engine.delta(undefined, verification()))).toEqual({
      'people|g1|month|2024-04': { verified: 1 },
    });
  });

  it('never contains zero entries', () => {
    const d = engine.delta(person(), person({ lastVerifiedOn: '2024-06-01', phone: 'x' }));
    for (const fields of d.values()) {
      expect(fields.size).toBeGreaterThan(0);
      for (const n of fields.values()) expect(n).not.toBe(0);
    }
  });
});
