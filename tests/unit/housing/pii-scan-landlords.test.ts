import { describe, expect, it } from 'vitest';
import { creditCodeFor, landlordIdNumber } from '../../../infra/local/seed-data.js';
import { maskIdNumber, maskPhone } from '../../../shared/modules/people/rules/id-number.js';
import { personalDataIn } from '../../e2e/support/pii-scan.js';

/**
 * Negative control of the e2e personal-data scan (tests/e2e/support/pii-scan.ts) over housing
 * records: the scan that runs after every e2e file finds a landlord's ID number and phones
 * (the landlord's own, a house's caretaker's, written the ways the API accepts them) in a
 * landlord- or house-shaped record, and nothing in the same records masked as a viewer sees
 * them — so a leak of either into a log, a key or an index would fail the run.
 */
const idNumber = landlordIdNumber(7, 'female', '1975-03-14');
const landlord = {
  landlordId: 'l_01M8KZ28Q79H41ADWKW8NCCWQY',
  kind: 'individual',
  name: 'Qian Landlord',
  idNumber,
  phone: '13912345678',
  address: 'Landlord Lane 7',
  version: 1,
};
const organisation = {
  landlordId: 'l_01M8KZ28Q79H41ADWKW8NCCWQZ',
  kind: 'organisation',
  name: 'Qiaotou Lettings Co., Ltd.',
  creditCode: creditCodeFor(7),
  legalRepresentative: 'Director Sun',
  phone: '+86 137 4000 1234',
  address: 'Industrial Road 7',
};
const house = {
  houseId: 'h_01M8KZ28X5MJ0Y6HJGXR99VXTF',
  plaque: 'XH-0007',
  maxOccupants: 4,
  registeredOn: '2026-11-29',
  createdAt: '2026-11-29T15:34:04.454Z',
  caretaker: { name: 'Caretaker Fang', phone: '136-5555-6666' },
  securityResponsible: { name: 'Officer Li', phone: '86 135 0000 1111' },
};

describe('the personal-data scan over housing records', () => {
  it('finds a landlord’s raw ID number and phone, and a house contact’s phone in any written form', () => {
    expect(personalDataIn(JSON.stringify(landlord))).toEqual([
      `ID number …${idNumber.slice(-4)}`,
      'phone …5678',
    ]);
    expect(personalDataIn(JSON.stringify(organisation))).toEqual(['phone …1234']);
    expect(personalDataIn(JSON.stringify(house))).toEqual(['phone …6666', 'phone …1111']);
    // In a log line, a key or an index attribute, the same.
    expect(personalDataIn(`landlord created ${idNumber} tel 139 1234 5678`)).toEqual([
      `ID number …${idNumber.slice(-4)}`,
      'phone …5678',
    ]);
    expect(personalDataIn(`TENANT#t_1#LANDLORDID#${idNumber}`)).toHaveLength(1);
  });

  it('finds nothing in the same records masked, nor in a credit code, ids, dates or times', () => {
    const masked = {
      ...landlord,
      idNumber: maskIdNumber(landlord.idNumber),
      phone: maskPhone(landlord.phone),
      organisation: { ...organisation, phone: maskPhone(organisation.phone) },
      caretaker: { ...house.caretaker, phone: maskPhone(house.caretaker.phone) },
    };
    expect(personalDataIn(JSON.stringify(masked))).toEqual([]);
    expect(personalDataIn(JSON.stringify({ ...organisation, phone: null }))).toEqual([]);
    expect(personalDataIn(JSON.stringify({ ...house, caretaker: null, securityResponsible: null }))).toEqual(
      [],
    );
    expect(
      personalDataIn('2026-11-29T13:38:12.345Z d8481e85-7523-4046-88eb-cce3d609fe9c 1764403200000'),
    ).toEqual([]);
  });
});
