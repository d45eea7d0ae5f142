import { actorOf, type Principal } from '../../../platform/access/principal.js';
import { assertInScope } from '../../../platform/access/scope.js';
import { InvalidInput } from '../../../platform/errors.js';
import { mintId } from '../../../platform/ids.js';
import { deploymentSecret } from '../../../platform/secrets.js';
import { gridRepository } from '../../grids/repository.js';
import type { Workspace } from '../../tenants/use-cases.js';
import { DuplicateIdNumberError, personRepository } from '../repository.js';
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

/** Validate and register one arrival; domain errors say what the client got wrong. */
export async function registerArrival({ principal, workspace, body, knownGrids }: Arrival): Promise<Person> {
  const id = parseIdNumber(body.idNumber, workspace.today);
  if (!id.ok) throw InvalidInput.field('idNumber', id.message);
  assertInScope(principal, body.gridId, 'register people in that grid');
  const gridExists = knownGrids
    ? knownGrids.has(body.gridId)
    : (await gridRepository(principal).get(body.gridId)) !== undefined;
  if (!gridExists) throw InvalidInput.field('gridId', 'no such grid in this township');

  const repo = personRepository(principal);
  const transition = register(
    { ...body, idNumber: id.value.idNumber, sex: id.value.sex, birthDate: id.value.birthDate },
    { personId: mintId(personIdPrefix), cardNumber: 'pending' },
    workspace.today,
    new Date().toISOString(),
  );
  const idHash = (await deploymentSecret()).idNumberHash(principal.tenantId, id.value.idNumber);
  const existing = await repo.activePersonIdOf(idHash);
  if (existing) throw new DuplicateIdNumberError(existing);
  transition.person.cardNumber = await repo.nextCardNumber();
  return repo.register({ transition, idHash, actor: actorOf(principal) });
}
