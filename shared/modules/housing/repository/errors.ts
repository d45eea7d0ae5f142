import type { House } from '../rules/house.js';
import type { Landlord } from '../rules/landlord.js';

/** Another house of the township carries this plaque. */
export class DuplicatePlaqueError extends Error {
  constructor(readonly existingHouseId: string) {
    super('a house with this plaque exists');
  }
}

/** Another landlord of the township has this ID number or credit code. */
export class DuplicateLandlordError extends Error {
  constructor(
    readonly existingLandlordId: string,
    readonly field: 'idNumber' | 'creditCode',
  ) {
    super('a landlord with this identifier exists');
  }
}

/** The grid a house names does not exist in the township. */
export class UnknownGridError extends Error {
  constructor(readonly gridId: string) {
    super('no such grid in this township');
  }
}

/** The landlord a house names does not exist in the township. */
export class UnknownLandlordError extends Error {
  constructor(readonly landlordId: string) {
    super('no such landlord in this township');
  }
}

/** A write lost a race: the house changed since it was read (current: as it is now, if it exists). */
export class StaleHouseError extends Error {
  constructor(readonly current: House | undefined) {
    super('the house changed concurrently');
  }
}

export class StaleLandlordError extends Error {
  constructor(readonly current: Landlord | undefined) {
    super('the landlord changed concurrently');
  }
}

/** A house cannot close while people live in it. */
export class HouseOccupiedError extends Error {
  constructor(
    readonly occupants: number,
    /** More than `occupants` may live there (the count stopped early). */
    readonly atLeast: boolean,
  ) {
    super('people live in this house');
  }
}
