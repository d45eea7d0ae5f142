import { actorOf, type Principal } from '../../../platform/access/principal.js';
import { assertInScope } from '../../../platform/access/scope.js';
import { InvalidInput } from '../../../platform/errors.js';
import { mintId } from '../../../platform/ids.js';
import { deploymentSecret } from '../../../platform/secrets.js';
import type { Workspace } from '../../tenants/use-cases.js';
import { personRepository } from '../repository.js';
import { parseIdNumber } from '../rules/id-number.js';
import { type Person, personIdPrefix, register } from '../rules/person.js';
import type { RegistrationBody } from '../schemas.js';

export interface Arrival {
  principal: Principal;
  workspace: Workspace;
  body: RegistrationBody;
  /** Grids known to exist (a batch reads them once); otherwise the grid is read. */
  knownGrids?: ReadonlySet<string>;
}

/** Validate and register one arrival in one request; domain errors say what the client got wrong. */
export async function registerArrival({ principal, workspace, body, knownGrids }: Arrival): Promise<Person> {
  const id = parseIdNumber(body.idNumber, workspace.today);
  if (!id.ok) throw InvalidInput.field('idNumber', id.message);
  assertInScope(principal, body.gridId, 'register people in that grid');
  // Without a known list, the registration's own transaction checks that the grid exists.
  if (knownGrids && !knownGrids.has(body.gridId))
    throw InvalidInput.field('gridId', 'no such grid in this township');

  const repo = personRepository(principal);
  const transition = register(
    { ...body, idNumber: id.value.idNumber, sex: id.value.sex, birthDate: id.value.birthDate },
    { personId: mintId(personIdPrefix), cardNumber: 'pending' },
    workspace.today,
    new Date().toISOString(),
  );
  const idHash = (await deploymentSecret()).idNumberHash(principal.tenantId, id.value.idNumber);
  // A duplicate is found by the transaction's own condition (with the existing personId).
  transition.person.cardNumber = await repo.nextCardNumber();
  return repo.register({ transition, idHash, actor: actorOf(principal) });
}
