import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/http/housing.js';
import { lambdaContext } from '../../../infra/local/handlers.js';
import {
  DuplicateLandlordError,
  DuplicatePlaqueError,
  houseRepository,
  UnknownGridError,
  UnknownLandlordError,
} from '../../../shared/modules/housing/repository.js';
import { recordHouse } from '../../../shared/modules/housing/use-cases/houses.js';
import { recordLandlord } from '../../../shared/modules/housing/use-cases/landlords.js';
import { personRepository } from '../../../shared/modules/people/repository.js';
import { depart } from '../../../shared/modules/people/rules/person.js';
import { mintId } from '../../../shared/platform/ids.js';
import { documentClient, registryTableName } from '../../../shared/platform/table/client.js';
import { idNumberFor } from '../../support/people.js';
import { world } from '../support/world.js';
import { apiEvent, houseBody } from './fixtures.js';

type World = Awaited<ReturnType<typeof world>>;
let w: World;
let landlordId: string;

afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  w = await world('housing', 2);
  landlordId = (
    await recordLandlord(w.principal, {
      kind: 'organisation',
      name: 'Xinhua Property Co.',
      creditCode: '91350100M000100Y43',
      legalRepresentative: 'Li',
      phone: '0591-1234567',
      address: 'Xinhua Road 1',
    })
  ).landlordId;
});

/** Every item of the tenant in the table (DynamoDB Local: a Scan is fine in a test). */
async function tenantItems(): Promise<Record<string, unknown>[]> {
  const out = await documentClient().send(new ScanCommand({ TableName: registryTableName() }));
  return (out.Items ?? []).filter((it) => String(it.pk).startsWith(`TENANT#${w.principal.tenantId}#`));
}

const call = async (...args: Parameters<typeof apiEvent>) => {
  const res = (await handler(
    apiEvent(...args),
    lambdaContext('housing'),
  )) as APIGatewayProxyStructuredResultV2;
  return {
    status: res.statusCode ?? 0,
    headers: res.headers ?? {},
    body: JSON.parse(String(res.body ?? '{}')),
  };
};

describe('houses: one transaction per write', () => {
  it('of many concurrent houses with one plaque (spelt differently) exactly one is recorded, nothing partial', async () => {
    const spellings = ['QT-77 A', ' qt-77 a', 'QT-77  A', 'qt-77\ta'];
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        recordHouse({
          principal: w.principal,
          body: houseBody(w.grids[0] as string, { plaque: spellings[i % 4] as string, landlordId }),
        }),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ houseId: string }>).value.houseId;
    for (const a of attempts.filter((x) => x.status === 'rejected')) {
      const reason = (a as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(DuplicatePlaqueError);
      expect((reason as DuplicatePlaqueError).existingHouseId).toBe(winner);
    }
    const items = await tenantItems();
    const houses = items.filter((it) => it.entity === 'house' && it.plaque === 'QT-77 A');
    expect(houses.map((h) => h.houseId)).toEqual([winner]);
    expect(items.filter((it) => it.entity === 'plaque-guard' && it.houseId === winner)).toHaveLength(1);
    // the losers left no house event behind
    const events = items.filter((it) => it.entity === 'house-event' && String(it.pk).includes('#HOUSE#'));
    expect(events.every((e) => items.some((h) => h.entity === 'house' && h.houseId === e.houseId))).toBe(
      true,
    );
  });

  it('the same check catches duplicates when the guard’s condition is stripped (negative control)', async () => {
    const client = documentClient();
    const send = client.send.bind(client);
    vi.spyOn(client, 'send').mockImplementation(((
      command: { input: { TransactItems?: unknown[] } },
      ...rest: unknown[]
    ) => {
      const guard = (
        command.input.TransactItems?.[0] as {
          Put?: { Item?: { entity?: string }; ConditionExpression?: string };
        }
      )?.Put;
      if (guard?.Item?.entity === 'plaque-guard') delete guard.ConditionExpression;
      return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as typeof client.send);
    await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        recordHouse({
          principal: w.principal,
          body: houseBody(w.grids[0] as string, { plaque: 'NEG-1', landlordId }),
        }),
      ),
    );
    vi.restoreAllMocks();
    const houses = (await tenantItems()).filter((it) => it.entity === 'house' && it.plaque === 'NEG-1');
    expect(houses.length).toBeGreaterThan(1);
  });

  it('of many concurrent landlords with one ID number exactly one is recorded, the rest name it', async () => {
    const idNumber = idNumberFor('female', '1975-05-05');
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        recordLandlord(w.principal, {
          kind: 'individual',
          name: `Zhou ${i}`,
          idNumber: i % 2 ? idNumber.toLowerCase() : idNumber,
          phone: '13800000000',
          address: 'A',
        }),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ landlordId: string }>).value.landlordId;
    for (const a of attempts.filter((x) => x.status === 'rejected')) {
      expect((a as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateLandlordError);
      expect(((a as PromiseRejectedResult).reason as DuplicateLandlordError).existingLandlordId).toBe(winner);
    }
    const items = await tenantItems();
    expect(items.filter((it) => it.entity === 'landlord' && it.idNumber === idNumber)).toHaveLength(1);
    // the losers left no history event behind
    const landlords = new Set(items.filter((it) => it.entity === 'landlord').map((it) => it.landlordId));
    expect(items.filter((it) => it.entity === 'landlord-event' && !landlords.has(it.landlordId))).toEqual([]);
    expect(items.filter((it) => it.entity === 'landlord-guard' && it.landlordId === winner)).toHaveLength(1);
    // no raw identifier in any key: the guard is keyed by a keyed hash
    expect(items.some((it) => String(it.pk).includes(idNumber))).toBe(false);
  });

  it('an unknown grid or landlord fails the transaction’s own checks and writes nothing', async () => {
    const before = (await tenantItems()).length;
    await expect(
      recordHouse({ principal: w.principal, body: houseBody(mintId('g'), { landlordId }) }),
    ).rejects.toBeInstanceOf(UnknownGridError);
    await expect(
      recordHouse({
        principal: w.principal,
        body: houseBody(w.grids[0] as string, { landlordId: mintId('l') }),
      }),
    ).rejects.toBeInstanceOf(UnknownLandlordError);
    expect((await tenantItems()).length).toBe(before);
  });
});

describe('houses through the function', () => {
  it('a duplicate plaque is 409 naming the house; a stale If-Match is 412 and changes nothing', async () => {
    const created = await call(w.principal, 'POST /v1/houses', {
      body: houseBody(w.grids[0] as string, { landlordId, plaque: 'QT-88' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ plaque: 'QT-88', occupants: 0, overOccupied: false, version: 1 });
    const houseId = created.body.houseId as string;
    const dup = await call(w.principal, 'POST /v1/houses', {
      body: houseBody(w.grids[0] as string, { plaque: ' qt-88 ', landlordId }),
    });
    expect(dup.status).toBe(409);
    expect(dup.body.houseId).toBe(houseId);

    const patched = await call(w.principal, 'PATCH /v1/houses/{houseId}', {
      params: { houseId },
      body: { maxOccupants: 2 },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    const stale = await call(w.principal, 'PATCH /v1/houses/{houseId}', {
      params: { houseId },
      body: { maxOccupants: 9 },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(2);
    expect((await houseRepository(w.principal).get(houseId))?.maxOccupants).toBe(2);
  });

  it('a new plaque swaps the guards: the old plaque is free again, the new one taken', async () => {
    const a = await recordHouse({
      principal: w.principal,
      body: houseBody(w.grids[1] as string, { landlordId, plaque: 'OLD-1' }),
    });
    const moved = await call(w.principal, 'PATCH /v1/houses/{houseId}', {
      params: { houseId: a.houseId },
      body: { plaque: 'NEW-1' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.plaque).toBe('NEW-1');
    const reuse = await recordHouse({
      principal: w.principal,
      body: houseBody(w.grids[1] as string, { plaque: 'old-1', landlordId }),
    });
    expect(reuse.plaque).toBe('OLD-1');
    const clash = await call(w.principal, 'PATCH /v1/houses/{houseId}', {
      params: { houseId: reuse.houseId },
      body: { plaque: 'new-1' },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.houseId).toBe(a.houseId);
  });

  it('closing is refused while someone lives there (409 naming how many), allowed once they left', async () => {
    const h = await recordHouse({
      principal: w.principal,
      body: houseBody(w.grids[0] as string, { landlordId }),
    });
    const p = await w.registerPerson({ gridId: w.grids[0], houseId: h.houseId, born: '1988-08-08' });
    const closure = { reason: 'letting-stopped', closedOn: w.today };
    const refused = await call(w.principal, 'POST /v1/houses/{houseId}/closure', {
      params: { houseId: h.houseId },
      body: closure,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      occupants: 1,
      detail: expect.stringMatching(/^1 person lives in this house/),
    });
    expect((await houseRepository(w.principal).get(h.houseId))?.status).toBe('registered');

    await personRepository(w.principal).apply({
      transition: depart(p, { departedOn: w.today, reason: 'left' }, w.today, new Date().toISOString()),
      fromVersion: p.version,
      idHash: p.idHash,
      actor: { keyId: 'k', name: 't' },
    });
    const closed = await call(w.principal, 'POST /v1/houses/{houseId}/closure', {
      params: { houseId: h.houseId },
      body: closure,
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      occupants: 0,
      closure: { reason: 'letting-stopped' },
    });
    const history = await call(w.principal, 'GET /v1/houses/{houseId}/history', {
      params: { houseId: h.houseId },
    });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
      'created-as-registered',
      'closed',
    ]);
  });

  it('a grid key sees contact phones on a house’s page but masked in lists; a viewer never raw', async () => {
    const h = await recordHouse({
      principal: w.principal,
      body: houseBody(w.grids[0] as string, {
        landlordId,
        caretaker: { name: 'Old Zhao', phone: '13912345678' },
      }),
    });
    const grid = { ...w.principal, role: 'grid' as const, gridIds: [w.grids[0] as string] };
    const viewer = { ...w.principal, role: 'viewer' as const };
    const page = await call(grid, 'GET /v1/houses/{houseId}', { params: { houseId: h.houseId } });
    expect(page.body.caretaker).toEqual({ name: 'Old Zhao', phone: '13912345678' });
    const list = await call(grid, 'GET /v1/houses', {
      query: { gridId: w.grids[0] as string, limit: '100' },
    });
    const listed = list.body.items.find((x: { houseId: string }) => x.houseId === h.houseId);
    expect(listed.caretaker).toEqual({ name: 'Old Zhao', phone: '139****5678' });
    const seen = await call(viewer, 'GET /v1/houses/{houseId}', { params: { houseId: h.houseId } });
    expect(seen.body.caretaker).toEqual({ name: 'Old Zhao', phone: '139****5678' });
    const other = { ...grid, gridIds: [w.grids[1] as string] };
    expect((await call(other, 'GET /v1/houses/{houseId}', { params: { houseId: h.houseId } })).status).toBe(
      403,
    );
    expect(
      (await call(w.principal, 'GET /v1/houses/{houseId}', { params: { houseId: mintId('h') } })).status,
    ).toBe(404);
  });
});
