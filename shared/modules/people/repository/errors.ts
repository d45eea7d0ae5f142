import type { Person } from '../rules/person.js';

/** Thrown when a write lost a race: the person changed (version) or is no longer active. */
export class StaleWriteError extends Error {
  constructor(readonly current: Person | undefined) {
    super('the registration changed concurrently');
  }
}

export class DuplicateIdNumberError extends Error {
  constructor(readonly existingPersonId: string) {
    super('an active registration with this ID number exists');
  }
}

/** The grid a registration or a move names does not exist in the tenant. */
export class UnknownGridError extends Error {
  constructor(readonly gridId: string) {
    super('no such grid in this township');
  }
}
