import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { housingIndexKeys, housingKeys, letterShardOf } from '../../../../shared/modules/housing/keys.js';
import { letterRoutes as routes } from '../../../../shared/modules/housing/letters/index.js';
import { letterRepository } from '../../../../shared/modules/housing/letters/repository/index.js';
import { signLetter } from '../../../../shared/modules/housing/letters/use-cases/sign.js';
import { forgetHousingSettings } from '../../../../shared/modules/housing/use-cases/settings.js';
import { tenantRepository } from '../../../../shared/modules/tenants/repository.js';
import type { Principal } from '../../../../shared/platform/access/principal.js';
import { addDays } from '../../../../shared/platform/dates.js';
import { documentClient, registryTableName } from '../../../../shared/platform/table/client.js';
import { lettersHttp, letterTables, letterWorld } from './support.js';

type World = Awaited<ReturnType<typeof letterWorld>>;
let w: World;
let other: World;
let landlordId: string;
let tables: Awaited<ReturnType<typeof letterTables>>;
const call = lettersHttp();
const post = (p: Principal, body: unknown, headers: Record<string, string> = {}) =>
  call(p, 'POST', routes.create.path, { body, headers });

beforeAll(async () => {
  tables = await letterTables('letters');
  w = await letterWorld('letters', 2, tables);
  other = await letterWorld('letters-other', 1, tables);
  landlordId = await w.landlord();
});

const stored = async (letterId: string) =>
  (
    await documentClient().send(
      new GetCommand({ TableName: registryTableName(), Key: housingKeys.letter(w.principal, letterId) }),
    )
  ).Item as Record<string, unknown>;

describe('recording a letter (POST /v1/letters)', () => {
  it('stores the letter the counters read, its first event, and answers 201 with an ETag', async () => {
    const houseId = await w.house({ gridId: w.grids[1] });
    const res = await post(w.principal, w.body({ houseId, landlordId }));
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const letterId = res.body.letterId as string;
    expect(letterId).toMatch(/^lt_/);
    expect(res.body).toMatchObject({ gridId: w.grids[1], status: 'valid', signedBy: 'Admin', version: 1 });
    const item = await stored(letterId);
    expect(item).toMatchObject({
      entity: 'letter',
      letterId,
      kind: 'security-responsibility',
      party: { kind: 'landlord', landlordId },
      houseId,
      gridId: w.grids[1],
      status: 'valid',
      signedBy: 'Admin',
      expiringFlaggedOn: null,
      revokedOn: null,
      revocationReason: null,
      version: 1,
      gridPk: housingIndexKeys.grid(w.principal, w.grids[1] as string),
      gridSk: housingIndexKeys.letterGridSk(letterId),
      tenantListPk: housingIndexKeys.letters(w.principal),
      parentPk: housingIndexKeys.lettersOfHouse(w.principal, houseId),
      parentSk: housingIndexKeys.letterGridSk(letterId),
      duePk: housingIndexKeys.lettersExpiring(w.principal, letterShardOf(letterId)),
      dueSk: housingIndexKeys.letterDueSk(item.validUntil as string, letterId),
    });
    const history = await call(w.principal, 'GET', routes.history.path, { params: { letterId } });
    expect(history.status).toBe(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({ action: 'signed', actor: { keyId: w.principal.keyId, name: 'Admin' } }),
    ]);
    const got = await call(w.principal, 'GET', routes.get.path, { params: { letterId } });
    expect(got).toMatchObject({ status: 200, headers: { etag: '"1"' }, body: res.body });
  });

  it('a person may be the party; an unknown landlord or person is 422 naming the field', async () => {
    const houseId = await w.house();
    const person = await w.registerPerson();
    const ok = await post(w.principal, {
      ...w.body({ houseId }),
      party: { kind: 'person', personId: person.personId },
    });
    expect(ok.status).toBe(201);
    const noLandlord = await post(
      w.principal,
      w.body({ houseId, landlordId: 'l_01J00000000000000000000000' }),
    );
    expect(noLandlord.status).toBe(422);
    expect(noLandlord.body.errors).toEqual([
      { path: 'party.landlordId', message: 'no such landlord in this township' },
    ]);
    const noPerson = await post(w.principal, {
      ...w.body({ houseId }),
      party: { kind: 'person', personId: 'p_01J00000000000000000000000' },
    });
    expect(noPerson.status).toBe(422);
    expect((noPerson.body.errors as { path: string }[])[0]?.path).toBe('party.personId');
    // another tenant's landlord is unknown here too
    const theirs = await post(w.principal, w.body({ houseId, landlordId: await other.landlord() }));
    expect(theirs.status).toBe(422);
  });

  it('an unknown house is 422 naming houseId; another tenant’s house answers exactly the same', async () => {
    const unknown = await post(w.principal, w.body({ houseId: 'h_01J00000000000000000000000', landlordId }));
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({
      status: 422,
      title: 'Unprocessable Content',
      errors: [{ path: 'houseId', message: 'no such house in this township' }],
    });
    const theirHouse = await other.house();
    const theirs = await post(w.principal, w.body({ houseId: theirHouse, landlordId }));
    expect(theirs.status).toBe(422);
    expect(theirs.body.errors).toEqual(unknown.body.errors);
    expect(theirs.body.detail).toEqual(unknown.body.detail);
  });

  it('a banned or closed house refuses letters with 409 house-not-open; discovered accepts them', async () => {
    for (const status of ['banned', 'closed'] as const) {
      const houseId = await w.house({ status });
      const res = await post(w.principal, w.body({ houseId, landlordId }));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        type: 'https://township-registry.example/problems/house-not-open',
        houseId,
        houseStatus: status,
      });
    }
    const discovered = await w.house({ status: 'discovered' });
    expect((await post(w.principal, w.body({ houseId: discovered, landlordId }))).status).toBe(201);
  });

  it('a house banned between the read and the write: the transaction’s own check refuses it (409)', async () => {
    const houseId = await w.house();
    const repo = letterRepository(w.principal);
    const house = await repo.house(houseId);
    await w.setHouseStatus(houseId, 'banned');
    const error = await signLetter({
      principal: w.principal,
      workspace: { settings: w.principal.settings, today: w.today },
      body: { ...w.body({ houseId, landlordId }), kind: 'guarantee' },
      houses: new Map([[houseId, house!]]),
    }).catch((e: unknown) => e);
    expect((error as Error).constructor.name).toBe('HouseNotOpenError');
  });

  it('grid keys record letters only for houses of their grids (403); viewers may not record (403)', async () => {
    const houseId = await w.house({ gridId: w.grids[1] });
    const outside = await post(w.gridKey([w.grids[0] as string]), w.body({ houseId, landlordId }));
    expect(outside.status).toBe(403);
    const inside = await post(w.gridKey([w.grids[1] as string]), w.body({ houseId, landlordId }));
    expect(inside.status).toBe(201);
    expect(inside.body.signedBy).toBe('Door chief Zhao');
    expect((await post(w.gridKey([], 'viewer'), w.body({ houseId, landlordId }))).status).toBe(403);
    // reading it: out of scope 403, another tenant 404
    const letterId = inside.body.letterId as string;
    expect(
      (await call(w.gridKey([w.grids[0] as string]), 'GET', routes.get.path, { params: { letterId } }))
        .status,
    ).toBe(403);
    expect((await call(other.principal, 'GET', routes.get.path, { params: { letterId } })).status).toBe(404);
    expect((await call(w.principal, 'GET', routes.get.path, { params: { letterId: 'nope' } })).status).toBe(
      404,
    );
  });

  it('validation names the field: dates, kinds (built-in or the township’s extraLetterKinds), strictness', async () => {
    const houseId = await w.house();
    const future = await post(w.principal, w.body({ houseId, landlordId, signedOn: addDays(w.today, 1) }));
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([
      { path: 'signedOn', message: `signedOn is after today (${w.today})` },
    ]);
    const order = await post(
      w.principal,
      w.body({ houseId, landlordId, validFrom: w.today, validUntil: addDays(w.today, -1) }),
    );
    expect(order.status).toBe(400);
    expect((order.body.errors as { path: string }[]).map((e) => e.path)).toEqual(['validUntil']);
    const extra = await post(w.principal, { ...w.body({ houseId, landlordId }), note: 'x' });
    expect(extra.status).toBe(400);
    const unknownKind = await post(w.principal, w.body({ houseId, landlordId, kind: 'rent-pledge' }));
    expect(unknownKind.status).toBe(400);
    expect((unknownKind.body.errors as { path: string }[])[0]?.path).toBe('kind');
    // The setting may not exist in TenantSettings yet: stored on the tenant, it is read from there.
    await tenantRepository(w.principal).updateSettings({ extraLetterKinds: ['rent-pledge'] } as never);
    forgetHousingSettings(); // (read with the tenant, cached for 30 s per instance)
    expect((await post(w.principal, w.body({ houseId, landlordId, kind: 'rent-pledge' }))).status).toBe(201);
    expect(
      (await post(other.principal, w.body({ houseId: await other.house(), kind: 'rent-pledge' }))).status,
    ).toBe(400);
  });

  it('Idempotency-Key: the same POST twice records one letter and answers the same', async () => {
    const houseId = await w.house();
    const body = w.body({ houseId, landlordId, kind: 'fire-safety-pledge' });
    const a = await post(w.principal, body, { 'idempotency-key': 'letter-0001' });
    const b = await post(w.principal, body, { 'idempotency-key': 'letter-0001' });
    expect(a.status).toBe(201);
    expect(b.body.letterId).toBe(a.body.letterId);
    const list = await call(w.principal, 'GET', routes.list.path, { query: { houseId } });
    expect((list.body.items as unknown[]).length).toBe(1);
  });
});

describe('revocation (If-Match)', () => {
  it('a stale If-Match is 412; the current one revokes, leaves the due index, and is recorded; again is 409', async () => {
    const houseId = await w.house();
    const created = await post(w.principal, w.body({ houseId, landlordId }));
    const letterId = created.body.letterId as string;
    const revoke = (ifMatch: string | undefined, role: Principal = w.principal) =>
      call(role, 'POST', routes.revoke.path, {
        params: { letterId },
        body: { reason: 'signed by the wrong landlord' },
        headers: ifMatch ? { 'if-match': ifMatch } : {},
      });
    const stale = await revoke('"7"');
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(1);
    expect((await revoke('"1"', w.gridKey([w.grids[0] as string]))).status).toBe(403);
    const done = await revoke('"1"');
    expect(done.status).toBe(200);
    expect(done.headers.etag).toBe('"2"');
    expect(done.body).toMatchObject({
      status: 'revoked',
      revokedOn: w.today,
      revocationReason: 'signed by the wrong landlord',
      version: 2,
    });
    const item = await stored(letterId);
    expect(item.duePk).toBeUndefined();
    expect(item.dueSk).toBeUndefined();
    expect(item.gridPk).toBeDefined();
    const again = await revoke(undefined);
    expect(again.status).toBe(409);
    const history = await call(w.principal, 'GET', routes.history.path, { params: { letterId } });
    expect((history.body.items as { action: string }[]).map((h) => h.action)).toEqual(['signed', 'revoked']);
  });
});

describe('lists (GET /v1/letters)', () => {
  it('filter by house, kind, status and expiringBefore; stable cursors; the key’s grids only', async () => {
    const lw = await letterWorld('letters-list', 2, tables);
    const ll = await lw.landlord();
    const h0 = await lw.house({ gridId: lw.grids[0] });
    const h1 = await lw.house({ gridId: lw.grids[1] });
    const sign = async (houseId: string, over: Record<string, string> = {}) =>
      (await post(lw.principal, lw.body({ houseId, landlordId: ll, ...over }))).body.letterId as string;
    const a = await sign(h0, { validUntil: addDays(lw.today, 10) });
    const b = await sign(h0, { kind: 'guarantee' });
    const c = await sign(h1, { validUntil: addDays(lw.today, 20) });
    const d = await sign(h1, { kind: 'guarantee', validUntil: addDays(lw.today, 5) });
    await call(lw.principal, 'POST', routes.revoke.path, { params: { letterId: d }, body: { reason: 'x' } });
    const ids = async (p: Principal, query: Record<string, string>) => {
      const res = await call(p, 'GET', routes.list.path, { query });
      expect(res.status).toBe(200);
      return (res.body.items as { letterId: string }[]).map((l) => l.letterId);
    };
    expect(await ids(lw.principal, {})).toEqual([a, b, c, d]);
    expect(await ids(lw.principal, { houseId: h0 })).toEqual([a, b]);
    expect(await ids(lw.principal, { kind: 'guarantee' })).toEqual([b, d]);
    expect(await ids(lw.principal, { status: 'valid' })).toEqual([a, b, c]);
    expect(await ids(lw.principal, { expiringBefore: addDays(lw.today, 20) })).toEqual([a, d]);
    expect(await ids(lw.principal, { houseId: h1, status: 'revoked' })).toEqual([d]);
    // a grid key sees its grids' letters; another grid's house is 403, an unknown house 404
    const g1 = lw.gridKey([lw.grids[1] as string]);
    expect(await ids(g1, {})).toEqual([c, d]);
    expect((await call(g1, 'GET', routes.list.path, { query: { houseId: h0 } })).status).toBe(403);
    // one grid: its letters only; another grid than the key's is 403, an unknown grid 404
    expect(await ids(lw.principal, { gridId: lw.grids[0] as string })).toEqual([a, b]);
    expect(await ids(lw.principal, { gridId: lw.grids[1] as string, kind: 'guarantee' })).toEqual([d]);
    expect(await ids(g1, { gridId: lw.grids[1] as string })).toEqual([c, d]);
    expect(
      (await call(g1, 'GET', routes.list.path, { query: { gridId: lw.grids[0] as string } })).status,
    ).toBe(403);
    expect(
      (
        await call(lw.principal, 'GET', routes.list.path, {
          query: { gridId: 'g_01J00000000000000000000000' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(lw.principal, 'GET', routes.list.path, {
          query: { houseId: 'h_01J00000000000000000000000' },
        })
      ).status,
    ).toBe(404);
    // pages of one, with a filter that skips entries: every match exactly once, in order
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await call(lw.principal, 'GET', routes.list.path, {
        query: { status: 'valid', limit: '1', ...(cursor ? { cursor } : {}) },
      });
      seen.push(...(res.body.items as { letterId: string }[]).map((l) => l.letterId));
      cursor = (res.body.nextCursor as string | null) ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual([a, b, c]);
    // a cursor of another query is refused
    const first = await call(lw.principal, 'GET', routes.list.path, { query: { limit: '1' } });
    const wrong = await call(lw.principal, 'GET', routes.list.path, {
      query: { kind: 'guarantee', cursor: first.body.nextCursor as string },
    });
    expect(wrong.status).toBe(400);
    expect((wrong.body.errors as { path: string }[])[0]?.path).toBe('query.cursor');
  });
});

describe('batch (POST /v1/letters/batch)', () => {
  it('records each item on its own, results in input order', async () => {
    const h0 = await w.house();
    const banned = await w.house({ status: 'banned' });
    const res = await call(w.principal, 'POST', routes.batch.path, {
      body: {
        items: [
          w.body({ houseId: h0, landlordId }),
          w.body({ houseId: banned, landlordId }),
          w.body({ houseId: 'h_01J00000000000000000000000', landlordId }),
          { ...w.body({ houseId: h0, landlordId }), validFrom: addDays(w.today, 400) },
          w.body({ houseId: h0, landlordId, kind: 'guarantee' }),
        ],
      },
    });
    expect(res.status).toBe(200);
    const results = res.body.results as {
      status: number;
      letter?: { letterId: string };
      errors?: { path: string }[];
    }[];
    expect(results.map((r) => r.status)).toEqual([201, 409, 422, 400, 201]);
    expect(results[2]?.errors?.[0]?.path).toBe('houseId');
    expect(results[3]?.errors?.[0]?.path).toBe('validUntil');
    const empty = await call(w.principal, 'POST', routes.batch.path, { body: { items: [] } });
    expect(empty.status).toBe(400);
    const tooMany = await call(w.principal, 'POST', routes.batch.path, {
      body: { items: Array.from({ length: 101 }, () => ({})) },
    });
    expect(tooMany.status).toBe(400);
  });
});

describe('stored letters carry no personal data in their index attributes', () => {
  it('index partitions hold ids, kinds, statuses and dates only', async () => {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: registryTableName(),
        IndexName: 'byTenant',
        KeyConditionExpression: 'tenantListPk = :pk',
        ExpressionAttributeValues: { ':pk': housingIndexKeys.letters(w.principal) },
      }),
    );
    expect(out.Items?.length).toBeGreaterThan(3);
    for (const it of out.Items ?? []) {
      expect(it.signedBy).toBeUndefined();
      expect(it.revocationReason).toBeUndefined();
    }
  });
});
