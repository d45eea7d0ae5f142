import type { Letter } from '../rules/letter.js';
import type { HouseFacts } from './items.js';

/** A write lost a race: the letter changed (version) or is no longer valid. */
export class StaleLetterWriteError extends Error {
  constructor(readonly current: Letter | undefined) {
    super('the letter changed concurrently');
  }
}

/** The house a letter names does not exist in this tenant (another tenant's house included). */
export class UnknownHouseError extends Error {
  constructor(readonly houseId: string) {
    super('no such house in this township');
  }
}

/** The house is banned or closed: it takes no letters. */
export class HouseNotOpenError extends Error {
  constructor(
    readonly houseId: string,
    readonly status: string,
  ) {
    super(`the house is ${status}`);
  }
}

/** The landlord or person a letter names does not exist in this tenant. */
export class UnknownPartyError extends Error {
  constructor(
    readonly field: 'party.landlordId' | 'party.personId',
    readonly id: string,
  ) {
    super('no such party in this township');
  }
}

/** The house changed between its read and the letter's transaction (its version): read again. */
export class StaleHouseError extends Error {
  constructor(readonly current: HouseFacts | undefined) {
    super('the house changed concurrently');
  }
}
