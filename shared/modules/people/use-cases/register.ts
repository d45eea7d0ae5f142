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
import { accessOf } from './view.js';

export interface Arrival {
  principal: Principal;
  workspace: Workspace;
  body: RegistrationBody;
  /** Grids known to exist (a batch reads them once); otherwise the grid is read. */
  knownGrids?: ReadonlySet<string>;
  /** The route answering (its access entry is written with the registration). */
  route: string;
}

/** Validate and register one arrival in one request; domain errors say what the client got wrong. */
export async function registerArrival({
  principal,
  workspace,
  body,
  knownGrids,
  route,
}: Arrival): Promise<Person> {
  const id = parseIdNumber(body.idNumber, workspace.today);
  if (!id.ok) throw InvalidInput.field('idNumber', id.message);
  assertInScope(principal, body.gridId, 'register people in that grid');
  // Without a known list, the registration's own transaction checks that the grid exists.
  if (knownGrids && !knownGrids.has(body.gridId))
    throw InvalidInput.field('gridId', 'no such grid in this township');

  const repo = personRepository(principal);
  const transition = register(
    { ...body, idNumber: id.value.idNumber, sex: id.value.sex, birthDate: id.value.birthDate },
    // (a rejected registration may skip a card number: gaps are allowed, reuse never happens)
    { personId: mintId(personIdPrefix), cardNumber: await repo.nextCardNumber() },
    workspace.today,
    new Date().toISOString(),
  );
  const idHash = (await deploymentSecret()).idNumberHash(principal.tenantId, id.value.idNumber);
  // A duplicate is found by the transaction's own condition (with the existing personId).
  const access = accessOf(transition.person, {
    principal,
    route,
    inList: false,
    at: transition.person.createdAt,
  });
  return repo.register({
    transition,
    idHash,
    actor: actorOf(principal),
    ...(access ? { access } : {}),
    gridKnown: knownGrids !== undefined,
  });
}
