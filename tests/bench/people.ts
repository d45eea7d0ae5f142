import { parseIdNumber } from '../../shared/modules/people/rules/id-number.js';
import { personIdPrefix, register, type Transition } from '../../shared/modules/people/rules/person.js';
import { addDays } from '../../shared/platform/dates.js';
import { mintId } from '../../shared/platform/ids.js';
import { idNumberAt } from '../support/people.js';

/**
 * Registration bodies for the bench: person `i` has a distinct valid ID number (tests/support),
 * alternating sex, spread birth dates, mostly inflow, two in three married, round-robin grids.
 * Give each figure its own range of `i`.
 */
export function registrationBody(i: number, gridIds: readonly string[], arrivedOn: string) {
  const birthDate = addDays('1970-01-01', (i * 37) % 12_000);
  return {
    idNumber: idNumberAt(i, i % 2 ? 'male' : 'female', birthDate),
    name: `Bench Resident ${i}`,
    flow: i % 10 === 9 ? 'outflow' : 'inflow',
    gridId: gridIds[i % gridIds.length] as string,
    address: `Building ${1 + (i % 20)}, Room ${100 + (i % 300)}`,
    arrivedOn,
    maritalStatus: i % 3 === 0 ? 'single' : 'married',
  } as const;
}

export type RegistrationBody = ReturnType<typeof registrationBody>;

/** The domain's registration of a body, as the API computes it (the card number made up here). */
export function registrationOf(body: RegistrationBody, cardSequence: number, today: string): Transition {
  const id = parseIdNumber(body.idNumber, today);
  if (!id.ok) throw new Error(`bench ID number ${body.idNumber}: ${id.message}`);
  return register(
    { ...body, idNumber: id.value.idNumber, sex: id.value.sex, birthDate: id.value.birthDate },
    { personId: mintId(personIdPrefix), cardNumber: `C${String(cardSequence).padStart(8, '0')}` },
    today,
    new Date().toISOString(),
  );
}
