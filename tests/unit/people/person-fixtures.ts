import {
  close,
  depart,
  LifecycleError,
  type Person,
  type RegistrationInput,
  register,
} from '../../../shared/modules/people/rules/person.js';

/** Shared fixtures of the person lifecycle tests (the pure state machine of rules/person.ts). */
export const TODAY = '2024-06-30';
export const NOW = '2024-06-30T08:00:00.000Z';
export const LATER = '2024-06-30T09:30:00.000Z';
export const ARRIVED = '2024-01-15';
export const ids = { personId: 'p_01TEST', cardNumber: 'C000001' };

export const input = (over: Partial<RegistrationInput> = {}): RegistrationInput => ({
  idNumber: '11010519900101002X',
  sex: 'female',
  birthDate: '1990-01-01',
  name: 'Zhang San',
  flow: 'inflow',
  gridId: 'g_1',
  address: 'Building 3, Room 201',
  arrivedOn: ARRIVED,
  maritalStatus: 'married',
  ...over,
});

export const registered = (over: Partial<RegistrationInput> = {}): Person =>
  register(input(over), ids, TODAY, NOW).person;

/** The LifecycleError `fn` throws (fails the test if it throws nothing or something else). */
export function lifecycleError(fn: () => unknown): LifecycleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LifecycleError) return error;
    throw error;
  }
  throw new Error('expected a LifecycleError, nothing was thrown');
}

export const departed = (): Person =>
  depart(registered(), { departedOn: '2024-05-01', reason: 'left' }, TODAY, NOW).person;
export const closed = (): Person => close(registered(), '2024-06-01', NOW).person;

/** Fields that differ between two persons, ignoring the bookkeeping ones. */
export function differingFields(a: Person, b: Person): string[] {
  return (Object.keys(a) as (keyof Person)[])
    .filter((k) => k !== 'version' && k !== 'updatedAt' && a[k] !== b[k])
    .sort();
}
