import { HttpProblem, type ProblemMapper, problems } from '../../platform/http/problem.js';
import { DuplicateIdNumberError, StaleWriteError, UnknownGridError } from './repository.js';
import { LifecycleError } from './rules/person.js';

/** The people module's domain errors → problem+json: the one place, for single and batch routes alike. */
export const peopleProblem: ProblemMapper = (error) => {
  if (error instanceof LifecycleError) {
    if (error.code === 'not-active') return problems.conflict(error.message);
    if (error.field) return problems.field(error.field, error.message);
    return new HttpProblem(400, error.message);
  }
  if (error instanceof UnknownGridError) return problems.field('gridId', 'no such grid in this township');
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
