import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/platform/dates.js';
import { call } from '../support/api.js';
import { createHouse, type HousingTownship, housingTownship, job, ok, today } from './fixture.js';

/**
 * Letters and the `flag-expiring-letters` job (docs/housing.md, "Scheduled job"), run through
 * `npm run job` against the e2e stack: a letter valid until within the warning days (30) is
 * flagged once and appears in `GET /v1/letters/expiring`; one past its last day is expired, and
 * its house, left without a security responsibility letter, in `GET /v1/houses/lapsed-letters`;
 * a second run flags nothing twice.
 */

let t: HousingTownship;

beforeAll(async () => {
  t = await housingTownship('Letters Township');
});

const letter = (houseId: string, kind: string, signedOn: string, validUntil: string) => ({
  kind,
  party: { kind: 'landlord', landlordId: t.landlordId },
  houseId,
  signedOn,
  validFrom: signedOn,
  validUntil,
});

describe('letters', () => {
  it('flag-expiring-letters flags a letter expiring within 30 days once, and expires a lapsed one', async () => {
    const [h1, h2] = await Promise.all([
      createHouse(t.ws.adminKey, t.gridA, { landlordId: t.landlordId }),
      createHouse(t.ws.adminKey, t.gridA, { landlordId: t.landlordId }),
    ]);
    const signed = ok(
      await call('POST', '/v1/letters/batch', {
        key: t.gridKeyA,
        body: {
          items: [
            letter(h1.houseId, 'security-responsibility', addDays(today, -355), addDays(today, 10)),
            letter(h1.houseId, 'guarantee', addDays(today, -30), addDays(today, 200)),
            letter(h2.houseId, 'security-responsibility', addDays(today, -200), addDays(today, -1)),
          ],
        },
      }),
      200,
    );
    expect(signed.results.map((r: { status: number }) => r.status)).toEqual([201, 201, 201]);
    const [expiring, lasting, lapsed] = signed.results.map((r: { letter: { letterId: string } }) => r.letter);
    expect(expiring).toMatchObject({
      status: 'valid',
      gridId: t.gridA,
      signedBy: 'grid key',
      expiringFlaggedOn: null,
    });

    const before = await call('GET', '/v1/letters/expiring', { key: t.ws.adminKey });
    expect(before.status).toBe(200);
    expect(before.body.items).toEqual([]);

    const first = await job('flag-expiring-letters');
    expect(first.complete).toBe(true);
    const mine = first.reports.find((r: { tenantId: string }) => r.tenantId === t.ws.tenantId);
    expect(mine).toMatchObject({ flagged: 2, expired: 1, housesLapsed: 1, warningDays: 30 });

    const worklist = await call('GET', '/v1/letters/expiring', { key: t.ws.adminKey });
    expect(worklist.status).toBe(200);
    const listed = worklist.body.items.map((l: { letterId: string }) => l.letterId);
    expect(listed).toContain(expiring.letterId);
    expect(listed).not.toContain(lasting.letterId);
    expect((await call('GET', `/v1/letters/${expiring.letterId}`, { key: t.viewer })).body).toMatchObject({
      status: 'valid',
      expiringFlaggedOn: today,
    });
    expect((await call('GET', `/v1/letters/${lapsed.letterId}`, { key: t.viewer })).body.status).toBe(
      'expired',
    );
    expect(
      (await call('GET', `/v1/letters/${lasting.letterId}`, { key: t.viewer })).body.expiringFlaggedOn,
    ).toBeNull();
    // Grid A's key sees them (its grid); the worklist of a key for grid B alone is empty.
    const gridKeyB = await t.ws.keyOf('grid', [t.gridB]);
    expect((await call('GET', '/v1/letters/expiring', { key: gridKeyB })).body.items).toEqual([]);
    expect(
      (await call('GET', '/v1/letters/expiring', { key: t.gridKeyA })).body.items.map(
        (l: { letterId: string }) => l.letterId,
      ),
    ).toContain(expiring.letterId);

    // The house whose only security letter expired is on the lapsed-letters worklist.
    const house2 = await call('GET', `/v1/houses/${h2.houseId}`, { key: t.ws.adminKey });
    expect(house2.body.securityLetterLapsedOn).toBe(today);
    const lapsedHouses = await call('GET', '/v1/houses/lapsed-letters', { key: t.ws.adminKey });
    expect(lapsedHouses.body.items.map((h: { houseId: string }) => h.houseId)).toEqual([h2.houseId]);

    // A second run flags nothing twice.
    const second = await job('flag-expiring-letters');
    const again = second.reports.find((r: { tenantId: string }) => r.tenantId === t.ws.tenantId);
    expect({ flagged: again?.flagged ?? 0, expired: again?.expired ?? 0 }).toEqual({
      flagged: 0,
      expired: 0,
    });
    const history = await call('GET', `/v1/letters/${expiring.letterId}/history`, { key: t.ws.adminKey });
    expect(history.status).toBe(200);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
      'signed',
      'flagged-expiring',
    ]);
    expect(history.body.items[1].actor).toEqual({ keyId: 'system', name: 'flag-expiring-letters' });
    expect(
      (await call('GET', '/v1/letters/expiring', { key: t.ws.adminKey })).body.items.filter(
        (l: { letterId: string }) => l.letterId === expiring.letterId,
      ),
    ).toHaveLength(1);
  }, 120_000);

  it('a banned house takes no letter; a letter is revoked with If-Match', async () => {
    const h = await createHouse(t.ws.adminKey, t.gridB, { landlordId: t.landlordId });
    const l = await call('POST', '/v1/letters', {
      key: t.office,
      body: letter(h.houseId, 'fire-safety-pledge', today, addDays(today, 364)),
    });
    expect(l.status, l.text).toBe(201);
    const etag = l.headers.get('etag');
    expect(etag).toBeTruthy();
    ok(
      await call('POST', `/v1/houses/${h.houseId}/ban`, {
        key: t.ws.adminKey,
        body: { reason: 'Illegal rental', basis: 'Art. 12', bannedOn: today },
      }),
      200,
    );
    const refused = await call('POST', '/v1/letters', {
      key: t.office,
      body: letter(h.houseId, 'guarantee', today, addDays(today, 364)),
    });
    expect(refused.status, refused.text).toBe(409);

    const stale = await call('POST', `/v1/letters/${l.body.letterId}/revocation`, {
      key: t.office,
      body: { reason: 'Signed by mistake' },
      headers: { 'if-match': '"999"' },
    });
    expect(stale.status).toBe(412);
    const revoked = await call('POST', `/v1/letters/${l.body.letterId}/revocation`, {
      key: t.office,
      body: { reason: 'Signed by mistake' },
      headers: { 'if-match': etag as string },
    });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      revokedOn: today,
      revocationReason: 'Signed by mistake',
    });
  });
});
