import { HttpProblem, type ProblemMapper, problems } from '../../platform/http/problem.js';
import { letterProblem } from './letters/errors.js';
import {
  DuplicateLandlordError,
  DuplicatePlaqueError,
  HouseOccupiedError,
  StaleHouseError,
  StaleLandlordError,
  UnknownGridError,
  UnknownLandlordError,
} from './repository.js';
import { HouseRuleError } from './rules/house.js';
import { LandlordRuleError } from './rules/landlord.js';

/** The houses' and landlords' domain errors → problem+json (letters map theirs in letters/errors.ts). */
const housesProblem: ProblemMapper = (error) => {
  if (error instanceof HouseRuleError || error instanceof LandlordRuleError) {
    if (error.field) return problems.field(error.field, error.message);
    if (error.code === 'wrong-status') return problems.conflict(error.message);
    return new HttpProblem(400, error.message);
  }
  if (error instanceof UnknownGridError) return problems.field('gridId', 'no such grid in this township');
  if (error instanceof UnknownLandlordError)
    return problems.field('landlordId', 'no such landlord in this township');
  if (error instanceof DuplicatePlaqueError) {
    return problems.conflict('A house with this plaque exists in this township.', {
      houseId: error.existingHouseId,
    });
  }
  if (error instanceof DuplicateLandlordError) {
    return problems.conflict(`A landlord with this ${error.field} exists in this township.`, {
      landlordId: error.existingLandlordId,
    });
  }
  if (error instanceof HouseOccupiedError) {
    const n = `${error.atLeast ? 'at least ' : ''}${error.occupants}`;
    return problems.conflict(
      `${n} ${error.occupants === 1 && !error.atLeast ? 'person lives' : 'people live'} in this house: move them or write them off before closing it.`,
      { occupants: error.occupants },
    );
  }
  if (error instanceof StaleHouseError || error instanceof StaleLandlordError) {
    const what = error instanceof StaleHouseError ? 'house' : 'landlord';
    if (error.current === undefined) {
      return problems.conflict(`Another write of this ${what} happened at the same time; retry.`);
    }
    return problems.conflict(`The ${what} changed while this request ran; read it again and retry.`, {
      currentVersion: error.current.version,
    });
  }
  return undefined;
};

/**
 * The housing module's domain errors → problem+json: the one mapper of its HTTP function, for
 * single and batch routes alike — the houses' and landlords' errors, then the letters'.
 */
export const housingProblem: ProblemMapper = (error) => housesProblem(error) ?? letterProblem(error);
