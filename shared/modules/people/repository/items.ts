import type { Actor } from '../../../platform/access/principal.js';
import { mintId } from '../../../platform/ids.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import { peopleKeys as keys, personIndexKeys, verificationIndexKeys } from '../keys.js';
import { eventIdPrefix, lastSeenOn, type Person, personFields, type Transition } from '../rules/person.js';

/** How a person and a history event are stored: the one place that shapes these items. */

export function personFromItem(item: Record<string, unknown>): Person {
  const p = {} as Record<string, unknown>;
  for (const f of personFields) p[f] = item[f] ?? null;
  return p as unknown as Person;
}

export function personItem(t: TenantContext, p: Person, idHash: string): Record<string, unknown> {
  return {
    ...keys.person(t, p.personId),
    ...p,
    entity: 'person',
    tenantId: t.tenantId,
    idHash,
    lastSeenOn: lastSeenOn(p),
    ...personIndexKeys(t, {
      personId: p.personId,
      gridId: p.gridId,
      status: p.status,
      idHash,
      lastSeenOn: lastSeenOn(p),
      houseId: p.houseId,
    }),
  };
}

/** The ID-number guard: at most one active registration per ID number (a keyed hash) in a tenant. */
export function idGuardItem(
  t: TenantContext,
  guard: { idHash: string; personId: string },
): Record<string, unknown> {
  return {
    ...keys.idNumberGuard(t, guard.idHash),
    entity: 'id-guard',
    tenantId: t.tenantId,
    personId: guard.personId,
  };
}

export function historyItem(
  t: TenantContext,
  change: { transition: Transition; actor: Actor; extra?: Record<string, unknown> },
): Record<string, unknown> {
  const { transition: tr, actor, extra = {} } = change;
  const at = tr.person.updatedAt;
  const eventId = mintId(eventIdPrefix);
  return {
    ...keys.historyEvent(t, tr.person.personId, at, eventId),
    ...(tr.action === 'verified' ? verificationIndexKeys(t, tr.person.gridId, eventId) : {}),
    entity: 'history',
    tenantId: t.tenantId,
    personId: tr.person.personId,
    gridId: tr.person.gridId,
    at,
    action: tr.action,
    actor,
    changedFields: tr.changedFields,
    version: tr.person.version,
    ...extra,
  };
}
