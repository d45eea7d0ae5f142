import { todayIn } from '../domain/dates.js';
import { maskIdNumber, maskPhone, parseIdNumber } from '../domain/id-number.js';
import { LifecycleError, type Person, personFields, register, type Transition } from '../domain/person.js';
import type { Tenant } from '../domain/tenant.js';
import { inScope, type Principal } from '../http/principal.js';
import { type FieldError, HttpProblem, problems } from '../http/problem.js';
import { newId } from '../ids.js';
import { deploymentKeys } from '../secrets.js';
import { gridRepository } from '../table/grids.js';
import { DuplicateIdNumberError, personRepository, StaleWriteError } from '../table/people.js';
import { tenantRepository } from '../table/tenants.js';
import type { RegistrationBody } from './schemas.js';

/** Registry use cases shared by the single and the bulk routes; they speak HTTP problems. */

export async function tenantOf(principal: Principal): Promise<Tenant & { today: string }> {
  const tenant = await tenantRepository(principal).get();
  if (!tenant) throw problems.unauthorized('This key belongs to no workspace.');
  return { ...tenant, today: todayIn(tenant.settings.timeZone) };
}

export function lifecycleProblem(error: unknown): never {
  if (error instanceof LifecycleError) {
    if (error.code === 'not-active') throw problems.conflict(error.message);
    if (error.field) throw problems.field(error.field, error.message);
    throw new HttpProblem(400, error.message);
  }
  if (error instanceof StaleWriteError) {
    if (error.current && error.current.status !== 'active') {
      throw problems.conflict(
        `the registration is ${error.current.status}; only active registrations change`,
      );
    }
    throw problems.conflict('The person changed while this request ran; read it again and retry.', {
      currentVersion: error.current?.version,
    });
  }
  throw error;
}

/** Validate and register one arrival (a 4xx problem for anything a client got wrong). */
export async function registerArrival(
  principal: Principal,
  tenant: Tenant & { today: string },
  body: RegistrationBody,
  knownGrids?: Set<string>,
): Promise<Person> {
  const errors: FieldError[] = [];
  const id = parseIdNumber(body.idNumber, tenant.today);
  if (!id.ok) errors.push({ path: 'idNumber', message: id.message });
  if (errors.length > 0) throw problems.validation(errors);
  if (!id.ok) throw new Error('unreachable');
  if (!inScope(principal, body.gridId))
    throw problems.forbidden('This key may not register people in that grid.');
  const gridExists = knownGrids
    ? knownGrids.has(body.gridId)
    : (await gridRepository(principal).get(body.gridId)) !== undefined;
  if (!gridExists) throw problems.field('gridId', 'no such grid in this township');

  const repo = personRepository(principal);
  let transition: Transition;
  try {
    transition = register(
      { ...body, idNumber: id.value.idNumber, sex: id.value.sex, birthDate: id.value.birthDate },
      { personId: newId.person(), cardNumber: 'pending' },
      tenant.today,
      new Date().toISOString(),
    );
  } catch (error) {
    lifecycleProblem(error);
  }
  const idHash = (await deploymentKeys()).idNumberHash(principal.tenantId, id.value.idNumber);
  const existing = await repo.activePersonIdOf(idHash);
  if (existing) throw duplicate(existing);
  transition.person.cardNumber = await repo.nextCardNumber();
  try {
    return await repo.register(transition, idHash, actorOf(principal));
  } catch (error) {
    if (error instanceof DuplicateIdNumberError) throw duplicate(error.existingPersonId);
    if (error instanceof StaleWriteError) {
      throw problems.conflict(
        'Another registration of this ID number was being written at the same time; retry.',
      );
    }
    throw error;
  }
}

const duplicate = (personId: string) =>
  problems.conflict('An active registration with this ID number exists in this township.', { personId });

export const actorOf = (p: Principal) => ({ keyId: p.keyId, name: p.keyName });

/** The contract's person fields: nothing internal (hashes, closedOn) leaves. */
const contractFields = personFields.filter((f) => f !== 'closedOn');

/** What a caller may see of a person: viewers never see identifiers; lists show them to admin/office only. */
export function personView(p: Person, principal: Principal, inList: boolean): Record<string, unknown> {
  const raw =
    principal.role === 'admin' || principal.role === 'office' || (principal.role === 'grid' && !inList);
  const view: Record<string, unknown> = Object.fromEntries(contractFields.map((f) => [f, p[f]]));
  if (!raw) {
    view.idNumber = maskIdNumber(p.idNumber);
    view.phone = p.phone === null ? null : maskPhone(p.phone);
  }
  return view;
}

export const etag = (p: Person) => ({ etag: `"${p.version}"` });
