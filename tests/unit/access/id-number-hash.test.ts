import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeploymentSecret, deploymentSecret } from '../../../shared/platform/secrets.js';
import { idNumberFor } from '../../support/people.js';

/**
 * docs/design.md: the ID-number lookup key is an HMAC "salted with the tenant": the same person
 * hashes differently in two tenants, so one tenant's index reveals nothing about another's.
 */
describe('the ID-number hash', () => {
  const previous = process.env.DEPLOYMENT_SECRET;
  let secret: DeploymentSecret;

  beforeAll(async () => {
    process.env.DEPLOYMENT_SECRET = 'unit-test-secret';
    secret = await deploymentSecret();
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.DEPLOYMENT_SECRET;
    else process.env.DEPLOYMENT_SECRET = previous;
  });

  const numbers = Array.from({ length: 20 }, (_, i) => idNumberFor(i % 2 ? 'male' : 'female', '1990-01-15'));

  it('differs between tenants for the same ID number', () => {
    for (const id of numbers) {
      const a = secret.idNumberHash('t_01TENANTA', id);
      const b = secret.idNumberHash('t_01TENANTB', id);
      expect(a).not.toBe(b);
    }
  });

  it('is stable within a tenant and differs between ID numbers', () => {
    const hashes = numbers.map((id) => secret.idNumberHash('t_01TENANTA', id));
    expect(numbers.map((id) => secret.idNumberHash('t_01TENANTA', id))).toEqual(hashes);
    expect(new Set(hashes).size).toBe(numbers.length);
  });

  it('cannot be shifted between tenant and number (no ambiguous concatenation)', () => {
    // "t_1" + "2..." must not hash like "t_12" + "..."
    const id = numbers[0]!;
    expect(secret.idNumberHash('t_1', `2${id}`)).not.toBe(secret.idNumberHash('t_12', id));
  });

  it('is keyed: neither the number nor a plain SHA-256 of it shows', async () => {
    const { createHash } = await import('node:crypto');
    for (const id of numbers) {
      const h = secret.idNumberHash('t_01TENANTA', id);
      expect(h).not.toContain(id);
      expect(h).not.toContain(id.slice(6, 14));
      expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
      expect(h).not.toBe(createHash('sha256').update(`t_01TENANTA\n${id}`).digest('base64url'));
      expect(h).not.toBe(createHash('sha256').update(id).digest('base64url'));
    }
  });
});
