import { describe, expect, it } from 'vitest';
import { call, expectProblem, signUp } from '../support/api.js';

/**
 * API keys with a lifecycle: optional expiry, the tenant's maximum key age, rotation with an
 * overlap, the day a key was last used, and 401s that say whether a key was revoked or expired.
 * (A key's answer is cached by the authorizer for its TTL on both hosts: these tests use each
 * key for the first time after the change they check.)
 */
const later = (ms: number) => new Date(Date.now() + ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('API key lifecycle', () => {
  it('an expired key is refused with a 401 that says so; a revoked one says revoked', async () => {
    const ws = await signUp();
    const soon = await call('POST', '/v1/api-keys', {
      key: ws.adminKey,
      body: { name: 'short', role: 'viewer', expiresAt: later(1_500) },
    });
    expect(soon.status).toBe(201);
    expect(soon.body.expiresAt).toEqual(expect.any(String));
    const revoked = await call('POST', '/v1/api-keys', {
      key: ws.adminKey,
      body: { name: 'r', role: 'viewer' },
    });
    await call('DELETE', `/v1/api-keys/${revoked.body.keyId}`, { key: ws.adminKey });
    await sleep(2_000);
    const expired = await call('GET', '/v1/tenant', { key: soon.body.apiKey });
    expectProblem(expired, 401);
    expect(expired.body.detail).toMatch(/expired/);
    const refused = await call('GET', '/v1/tenant', { key: revoked.body.apiKey });
    expectProblem(refused, 401);
    expect(refused.body.detail).toMatch(/revoked/);
    const unknown = await call('GET', '/v1/tenant', { key: `trk_${'B'.repeat(43)}` });
    expect(unknown.body.detail).toMatch(/unknown/);
  });

  it('refuses an expiry in the past or beyond the maximum key age, and applies the maximum by default', async () => {
    const ws = await signUp();
    expectProblem(
      await call('POST', '/v1/api-keys', {
        key: ws.adminKey,
        body: { name: 'x', role: 'viewer', expiresAt: later(-60_000) },
      }),
      400,
    );
    const settings = await call('PATCH', '/v1/tenant/settings', {
      key: ws.adminKey,
      body: { maxKeyAgeDays: 30 },
    });
    expect(settings.body.settings.maxKeyAgeDays).toBe(30);
    // The admin key's cached context still has no maximum: use a fresh admin-issued key to see it.
    const admin2 = (
      await call('POST', '/v1/api-keys', { key: ws.adminKey, body: { name: 'a2', role: 'admin' } })
    ).body.apiKey as string;
    const tooLong = await call('POST', '/v1/api-keys', {
      key: admin2,
      body: { name: 'x', role: 'viewer', expiresAt: later(40 * 86_400_000) },
    });
    expectProblem(tooLong, 400);
    expect(tooLong.body.errors[0].path).toBe('expiresAt');
    const capped = await call('POST', '/v1/api-keys', { key: admin2, body: { name: 'y', role: 'viewer' } });
    const days = (Date.parse(capped.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('rotation issues a new key for the same holder; the old one works for the overlap, then not', async () => {
    const ws = await signUp();
    const grid = await ws.grid();
    const old = await call('POST', '/v1/api-keys', {
      key: ws.adminKey,
      body: { name: 'Door chief Zhao', role: 'grid', gridIds: [grid] },
    });
    const rotated = await call('POST', `/v1/api-keys/${old.body.keyId}/rotation`, {
      key: ws.adminKey,
      body: { overlapMinutes: 0 },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({
      name: 'Door chief Zhao',
      role: 'grid',
      gridIds: [grid],
      rotatedFrom: old.body.keyId,
    });
    expect(rotated.body.apiKey).not.toBe(old.body.apiKey);
    expect((await call('GET', `/v1/grids/${grid}`, { key: rotated.body.apiKey })).status).toBe(200);
    const refused = await call('GET', `/v1/grids/${grid}`, { key: old.body.apiKey });
    expectProblem(refused, 401);
    expect(refused.body.detail).toMatch(/expired/);
    // With an overlap, the old key keeps working meanwhile.
    const other = await call('POST', '/v1/api-keys', {
      key: ws.adminKey,
      body: { name: 'o', role: 'viewer' },
    });
    const overlapping = await call('POST', `/v1/api-keys/${other.body.keyId}/rotation`, {
      key: ws.adminKey,
      body: { overlapMinutes: 60 },
    });
    expect(overlapping.status).toBe(201);
    expect((await call('GET', '/v1/tenant', { key: other.body.apiKey })).status).toBe(200);
    // A revoked key cannot be rotated; an unknown one is 404.
    await call('DELETE', `/v1/api-keys/${overlapping.body.keyId}`, { key: ws.adminKey });
    expectProblem(
      await call('POST', `/v1/api-keys/${overlapping.body.keyId}/rotation`, { key: ws.adminKey, body: {} }),
      409,
    );
    expectProblem(
      await call('POST', '/v1/api-keys/k_01ARZ3NDEKTSV4RRFFQ69G5FAV/rotation', {
        key: ws.adminKey,
        body: {},
      }),
      404,
    );
  });

  it('records the day a key was last used', async () => {
    const ws = await signUp();
    const fresh = await call('POST', '/v1/api-keys', {
      key: ws.adminKey,
      body: { name: 'u', role: 'viewer' },
    });
    const before = await call('GET', '/v1/api-keys', { key: ws.adminKey });
    const find = (items: { keyId: string; lastUsedOn: string | null }[]) =>
      items.find((k) => k.keyId === fresh.body.keyId)?.lastUsedOn;
    expect(find(before.body.items)).toBeNull();
    await call('GET', '/v1/tenant', { key: fresh.body.apiKey });
    const after = await call('GET', '/v1/api-keys', { key: ws.adminKey });
    expect(find(after.body.items)).toBe(new Date().toISOString().slice(0, 10));
  });
});
