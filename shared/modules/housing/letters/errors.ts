import { HttpProblem, type ProblemMapper, problems } from '../../../platform/http/problem.js';
import {
  HouseNotOpenError,
  StaleHouseError,
  StaleLetterWriteError,
  UnknownHouseError,
  UnknownPartyError,
} from './repository/index.js';
import { LetterRuleError } from './rules/letter.js';

const problemType = (name: string) => `https://township-registry.example/problems/${name}`;

/**
 * 422: the request is well-formed but names something this township does not have (a house or
 * a party; another tenant's id is simply unknown here). The platform's titles have no 422 yet,
 * so type and title are given here.
 */
const unprocessable = (path: string, message: string) =>
  new HttpProblem(422, `${path}: ${message}`, {
    type: problemType('unprocessable-content'),
    title: 'Unprocessable Content',
    errors: [{ path, message }],
  });

/** The letters' domain errors → problem+json: the one place, for single and batch routes alike. */
export const letterProblem: ProblemMapper = (error) => {
  if (error instanceof LetterRuleError) {
    if (error.code === 'not-valid') return problems.conflict(error.message);
    if (error.field) return problems.field(error.field, error.message);
    return new HttpProblem(400, error.message);
  }
  if (error instanceof UnknownHouseError) return unprocessable('houseId', 'no such house in this township');
  if (error instanceof UnknownPartyError) {
    return unprocessable(
      error.field,
      error.field === 'party.landlordId'
        ? 'no such landlord in this township'
        : 'no such person in this township',
    );
  }
  if (error instanceof HouseNotOpenError) {
    return problems.conflict(`The house is ${error.status}: it takes no letters.`, {
      type: problemType('house-not-open'),
      houseId: error.houseId,
      houseStatus: error.status,
    });
  }
  if (error instanceof StaleLetterWriteError) {
    if (error.current === undefined)
      return problems.conflict('Another write of this letter happened at the same time; retry.');
    if (error.current.status !== 'valid')
      return problems.conflict(`the letter is ${error.current.status}; only valid letters change`);
    return problems.conflict('The letter changed while this request ran; read it again and retry.', {
      currentVersion: error.current.version,
    });
  }
  if (error instanceof StaleHouseError)
    return problems.conflict('The house changed while this request ran; retry.');
  return undefined;
};
