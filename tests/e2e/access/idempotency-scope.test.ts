import { describe, expect, it } from 'vitest';
import { call, signUp } from '../support/api.js';

/**
 * An Idempotency-Key is scoped to the tenant and to the API key that sent it: the same header
 * value and body from another tenant, or from another key of the same tenant, is a new request
 * with its own resource — never a replay of someone else's answer (which would hand one
 * tenant another's grid id, or refuse it a 409 for a body it never sent).
 */
const grids = async (key: string) =>
  ((await call('GET', '/v1/grids', { key })).body.items as { gridId: string }[]).map((g) => g.gridId).sort();

const create = (key: string, idempotencyKey: string, body: Record<string, unknown>) =>
  call('POST', '/v1/grids', { key, body, headers: { 'idempotency-key': idempotencyKey } });

describe('the Idempotency-Key scope', () => {
  it('two tenants sending the same Idempotency-Key and body each get their own grid', async () => {
    const one = await signUp('Idempotency One');
    const two = await signUp('Idempotency Two');
    const idem = `shared-${crypto.randomUUID()}`;
    const body = { name: 'Grid 1', community: 'East' };
    const a = await create(one.adminKey, idem, body);
    const b = await create(two.adminKey, idem, body);
    expect(a.status, a.text).toBe(201);
    expect(b.status, b.text).toBe(201);
    expect(b.body.gridId).not.toBe(a.body.gridId);
    expect(await grids(one.adminKey)).toEqual([a.body.gridId]);
    expect(await grids(two.adminKey)).toEqual([b.body.gridId]);
    expect((await call('GET', `/v1/grids/${b.body.gridId}`, { key: two.adminKey })).body).toEqual(b.body);
    expect((await call('GET', `/v1/grids/${b.body.gridId}`, { key: one.adminKey })).status).toBe(404);

    // Within each tenant the key still replays its own answer (the control).
    const again = await create(two.adminKey, idem, body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(b.body);
    expect(await grids(two.adminKey)).toEqual([b.body.gridId]);

    // Another tenant's different body under the same header value is no conflict (409) either.
    const three = await signUp('Idempotency Three');
    const c = await create(three.adminKey, idem, { name: 'Other', community: 'West' });
    expect(c.status, c.text).toBe(201);
    expect(c.body).toMatchObject({ name: 'Other', community: 'West' });
  });

  it('two keys of one tenant sending the same Idempotency-Key and body each get their own grid', async () => {
    const ws = await signUp('Idempotency Keys');
    const secondAdmin = await ws.keyOf('admin');
    const idem = `per-key-${crypto.randomUUID()}`;
    const body = { name: 'Grid 1', community: 'East' };
    const a = await create(ws.adminKey, idem, body);
    const b = await create(secondAdmin, idem, body);
    expect(a.status, a.text).toBe(201);
    expect(b.status, b.text).toBe(201);
    expect(b.body.gridId).not.toBe(a.body.gridId);
    expect(await grids(ws.adminKey)).toEqual([a.body.gridId, b.body.gridId].sort());

    // Each key replays its own answer, and only its own.
    expect((await create(ws.adminKey, idem, body)).body).toEqual(a.body);
    expect((await create(secondAdmin, idem, body)).body).toEqual(b.body);
    expect(await grids(ws.adminKey)).toHaveLength(2);
  });
});
