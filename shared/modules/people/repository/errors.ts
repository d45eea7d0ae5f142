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

/**
 * The house a registration or a change names cannot take the person: there is no such house in
 * the tenant (`unknown`), it stands in another grid than the person's (`other-grid`: a house
 * never moves grids), or it is banned or closed (`not-open`).
 */
export class HouseRefusedError extends Error {
  constructor(
    readonly houseId: string,
    readonly reason:
      | { kind: 'unknown' }
      | { kind: 'other-grid'; houseGridId: string }
      | { kind: 'not-open'; houseStatus: string },
  ) {
    super(`house ${houseId} refused: ${reason.kind}`);
  }
}
