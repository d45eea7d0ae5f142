import { HttpProblem, type ProblemMapper, problems } from '../../platform/http/problem.js';
import {
  DuplicateIdNumberError,
  HouseRefusedError,
  StaleWriteError,
  UnknownGridError,
} from './repository.js';
import { LifecycleError } from './rules/person.js';

/** Problem types this module names itself, beside the platform's (`…/problems/conflict`, …). */
const problemsBase = new HttpProblem(400).body().type.replace(/[^/]*$/, '');
export const peopleProblemTypes = {
  houseNotOpen: `${problemsBase}house-not-open`,
  unprocessable: `${problemsBase}unprocessable-content`,
};

/**
 * 422: the request is well-formed but names something that cannot take it (docs/housing.md:
 * a house that does not exist here, or stands in another grid).
 */
const unprocessableField = (path: string, message: string) =>
  new HttpProblem(422, `${path}: ${message}`, {
    type: peopleProblemTypes.unprocessable,
    title: 'Unprocessable Content',
    errors: [{ path, message }],
  });

function houseProblem(error: HouseRefusedError): HttpProblem {
  const { reason } = error;
  if (reason.kind === 'unknown') return unprocessableField('houseId', 'no such house in this township');
  if (reason.kind === 'other-grid') {
    return unprocessableField(
      'houseId',
      `the house is in grid ${reason.houseGridId}; register the person in that grid`,
    );
  }
  return new HttpProblem(
    409,
    `house ${error.houseId} is ${reason.houseStatus}: it takes no occupants (only discovered and registered houses do)`,
    { type: peopleProblemTypes.houseNotOpen, houseId: error.houseId, houseStatus: reason.houseStatus },
  );
}

/** The people module's domain errors → problem+json: the one place, for single and batch routes alike. */
export const peopleProblem: ProblemMapper = (error) => {
  if (error instanceof LifecycleError) {
    if (error.code === 'not-active') return problems.conflict(error.message);
    if (error.field) return problems.field(error.field, error.message);
    return new HttpProblem(400, error.message);
  }
  if (error instanceof UnknownGridError) return problems.field('gridId', 'no such grid in this township');
  if (error instanceof HouseRefusedError) return houseProblem(error);
  if (error instanceof DuplicateIdNumberError) {
    return problems.conflict('An active registration with this ID number exists in this township.', {
      personId: error.existingPersonId,
    });
  }
  if (error instanceof StaleWriteError) {
    if (error.current === undefined) {
      return problems.conflict('Another write of this registration happened at the same time; retry.');
    }
    if (error.current.status !== 'active') {
      return problems.conflict(
        `the registration is ${error.current.status}; only active registrations change`,
      );
    }
    return problems.conflict('The person changed while this request ran; read it again and retry.', {
      currentVersion: error.current.version,
    });
  }
  return undefined;
};
