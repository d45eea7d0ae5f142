import { describe, expect, it } from 'vitest';
import {
  createLandlord,
  LandlordRuleError,
  landlordIdentifier,
  updateLandlord,
} from '../../../shared/modules/housing/rules/landlord.js';
import { makeIdNumber } from '../../../shared/modules/people/rules/id-number.js';

const TODAY = '2026-03-15';
const NOW = '2026-03-15T08:00:00.000Z';
const idNumber = makeIdNumber({ region: '110105', birthDate: '1970-04-01', sequence: 12 });

const individual = () =>
  createLandlord(
    {
      kind: 'individual',
      name: 'Wang Fang',
      idNumber: ` ${idNumber.toLowerCase()} `,
      phone: '13800001111',
      address: 'A',
    },
    'l_1',
    TODAY,
    NOW,
  ).landlord;
const organisation = () =>
  createLandlord(
    {
      kind: 'organisation',
      name: 'Xinhua Property Co.',
      creditCode: '91350100m000100y43',
      legalRepresentative: 'Li',
      phone: '0591-1234567',
      address: 'B',
    },
    'l_2',
    TODAY,
    NOW,
  ).landlord;

describe('landlords', () => {
  it('an individual: the ID number validated as a person’s and normalised; the identifier is it', () => {
    const l = individual();
    expect(l).toMatchObject({ kind: 'individual', idNumber, workplace: null, version: 1 });
    expect(landlordIdentifier(l)).toBe(idNumber);
  });

  it('an organisation: the credit code validated (GB 32100) and normalised; the identifier is it', () => {
    const l = organisation();
    expect(l).toMatchObject({
      kind: 'organisation',
      creditCode: '91350100M000100Y43',
      legalRepresentative: 'Li',
    });
    expect(landlordIdentifier(l)).toBe('91350100M000100Y43');
  });

  it('refuses an invalid identifier on its field, with the rule’s message', () => {
    const bad = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error as LandlordRuleError;
      }
      throw new Error('expected a refusal');
    };
    const e1 = bad(() =>
      createLandlord(
        { kind: 'individual', name: 'x', idNumber: `${idNumber.slice(0, 17)}0`, phone: '1', address: 'a' },
        'l',
        TODAY,
        NOW,
      ),
    );
    expect(e1).toBeInstanceOf(LandlordRuleError);
    expect(e1).toMatchObject({ code: 'invalid-identifier', field: 'idNumber' });
    const e2 = bad(() =>
      createLandlord(
        {
          kind: 'organisation',
          name: 'x',
          creditCode: '91350100M000100Y44',
          legalRepresentative: 'l',
          phone: '1',
          address: 'a',
        },
        'l',
        TODAY,
        NOW,
      ),
    );
    expect(e2).toMatchObject({ code: 'invalid-identifier', field: 'creditCode' });
  });

  it('update: names the changed fields, refuses the other kind’s fields, and nothing-to-change', () => {
    const tr = updateLandlord(individual(), { phone: '13900002222', name: 'Wang Fang' }, NOW);
    expect(tr).toMatchObject({
      action: 'updated',
      changedFields: ['phone'],
      landlord: { phone: '13900002222', version: 2 },
    });
    expect(() => updateLandlord(individual(), { legalRepresentative: 'x' }, NOW)).toThrow(
      /only an organisation/,
    );
    expect(() => updateLandlord(organisation(), { workplace: 'x' }, NOW)).toThrow(/only an individual/);
    expect(() => updateLandlord(organisation(), { name: 'Xinhua Property Co.' }, NOW)).toThrow(
      /nothing would change/,
    );
  });
});
