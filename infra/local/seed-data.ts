import { makeIdNumber } from '../../shared/modules/people/rules/id-number.js';
import { addDays, addYears } from '../../shared/platform/dates.js';

let sequence = 0;
const regions = ['110101', '310104', '440305', '510107', '330106', '420102'];

/** A valid ID number for a person of this sex born on this day (unique within this process). */
export function idNumberFor(sex: 'female' | 'male', birthDate: string): string {
  sequence++;
  const region = regions[Math.floor(sequence / 400) % regions.length] as string;
  const base = (sequence % 400) * 2 + 1; // odd
  return makeIdNumber({ region, birthDate, sequence: sex === 'male' ? base : base + 1 });
}

/**
 * The community of the seed report: 303 people — 299 inflow, 4 outflow; 127 inflow women of
 * childbearing age (15–49), 107 of them married; 2 married outflow women of childbearing age.
 * Ages are taken relative to `today` so the numbers hold on any day.
 */
export function seedCommunity(today: string, gridIds: readonly string[]): Record<string, unknown>[] {
  const people: Record<string, unknown>[] = [];
  let i = 0;
  const add = (flow: 'inflow' | 'outflow', sex: 'female' | 'male', age: number, married: boolean) => {
    // born `age` years and a few days before today: safely inside that age
    const birthDate = addDays(addYears(today, -age), -(1 + (i % 200)));
    people.push({
      idNumber: idNumberFor(sex, birthDate),
      name: `Resident ${i}`,
      flow,
      gridId: gridIds[i % gridIds.length],
      address: `Building ${1 + (i % 12)}, Room ${100 + i}`,
      arrivedOn: addDays(today, -(10 + (i % 60))),
      maritalStatus: married ? 'married' : 'single',
    });
    i++;
  };
  for (let k = 0; k < 107; k++) add('inflow', 'female', 20 + (k % 29), true); // 20–48
  for (let k = 0; k < 20; k++) add('inflow', 'female', 15 + (k % 35), false); // 15–49
  for (let k = 0; k < 10; k++) add('inflow', 'female', 50 + k, true); // past childbearing age
  for (let k = 0; k < 4; k++) add('inflow', 'female', 10 + k, false); // children
  for (let k = 0; k < 158; k++) add('inflow', 'male', 18 + (k % 45), k % 3 === 0);
  add('outflow', 'female', 30, true);
  add('outflow', 'female', 44, true);
  add('outflow', 'female', 55, true);
  add('outflow', 'male', 35, false);
  return people;
}

export const seedNumbers = {
  floatingPopulation: 303,
  inflow: 299,
  outflow: 4,
  inflowWomenOfChildbearingAge: 127,
  inflowMarriedWomenOfChildbearingAge: 107,
  outflowWomenOfChildbearingAge: 2,
  outflowMarriedWomenOfChildbearingAge: 2,
  verificationDue: 0,
};
