import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actorOf,
  fromAuthorizerContext,
  type Principal,
  refusalDetail,
  toAuthorizerContext,
} from '../../../shared/platform/access/principal.js';
import { assertInScope, assertRole } from '../../../shared/platform/access/scope.js';
import { decodeCursor, encodeCursor } from '../../../shared/platform/cursor.js';
import { Forbidden, InvalidInput } from '../../../shared/platform/errors.js';
import { type DeploymentSecret, deploymentSecret } from '../../../shared/platform/secrets.js';
import { defaultSettings } from '../../../shared/platform/settings.js';

/**
 * Edges of the access code that the broader tests leave open (each found by a mutant that
 * survived them): the authorizer context refusing a malformed setting, the role check of a use
 * case, what a refusal says, and a signed cursor whose payload is not JSON.
 */
const principal = (over: Partial<Principal> = {}): Principal => ({
  tenantId: 't_1',
  keyId: 'k_1',
  keyName: 'Officer Zhao',
  role: 'office',
  gridIds: ['g_1'],
  settings: defaultSettings,
  ...over,
});

describe('fromAuthorizerContext refuses a context with a malformed setting', () => {
  const good = toAuthorizerContext(principal()) as Record<string, string>;

  it('the well-formed context is a principal (the control)', () => {
    expect(fromAuthorizerContext(good)).toEqual(principal());
  });

  it.each([
    ['timeZone', { timeZone: 8 }],
    ['timeZone', { timeZone: undefined }],
    ['staleAfterDays', { staleAfterDays: 'soon' }],
    ['staleAfterDays', { staleAfterDays: '1.5' }],
    ['verificationCycleDays', { verificationCycleDays: 'often' }],
    ['verificationCycleDays', { verificationCycleDays: '2.5' }],
  ])('a bad %s alone makes no principal', (_field, bad) => {
    expect(fromAuthorizerContext({ ...good, ...bad })).toBeUndefined();
  });

  it('maxKeyAgeDays: empty or absent is no maximum, a number is kept', () => {
    expect(fromAuthorizerContext({ ...good, maxKeyAgeDays: '' })?.settings.maxKeyAgeDays).toBeNull();
    const { maxKeyAgeDays: _drop, ...withoutMax } = good;
    expect(fromAuthorizerContext(withoutMax)?.settings.maxKeyAgeDays).toBeNull();
    expect(fromAuthorizerContext({ ...good, maxKeyAgeDays: '30' })?.settings.maxKeyAgeDays).toBe(30);
    expect(
      (
        toAuthorizerContext(principal({ settings: { ...defaultSettings, maxKeyAgeDays: 30 } })) as Record<
          string,
          string
        >
      ).maxKeyAgeDays,
    ).toBe('30');
    expect((toAuthorizerContext(principal()) as Record<string, string>).maxKeyAgeDays).toBe('');
  });
});

describe('refusalDetail: what a 401 says', () => {
  it('names each reason, and falls back to "missing" for none or an unknown one', () => {
    expect(refusalDetail({ refused: 'true', reason: 'missing' })).toBe(
      'A valid API key is required: Authorization: Bearer <apiKey>.',
    );
    expect(refusalDetail({ refused: 'true', reason: 'malformed' })).toBe(
      'The Authorization header must be: Bearer <apiKey>.',
    );
    expect(refusalDetail({ refused: 'true', reason: 'unknown' })).toBe('This API key is unknown.');
    expect(refusalDetail({ refused: 'true', reason: 'revoked' })).toBe('This API key has been revoked.');
    expect(refusalDetail({ refused: 'true', reason: 'expired' })).toBe('This API key has expired.');
    const missing = 'A valid API key is required: Authorization: Bearer <apiKey>.';
    expect(refusalDetail(undefined)).toBe(missing);
    expect(refusalDetail({ refused: 'true' })).toBe(missing);
    expect(refusalDetail({ refused: 'true', reason: 'gone' })).toBe(missing);
  });
});

describe('actorOf', () => {
  it('is the key id and the key name, nothing else', () => {
    expect(actorOf(principal())).toEqual({ keyId: 'k_1', name: 'Officer Zhao' });
  });
});

describe('assertRole and assertInScope', () => {
  const thrown = (fn: () => void): unknown => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('assertRole passes the allowed roles and refuses the others as Forbidden, saying who and what', () => {
    expect(() =>
      assertRole(principal({ role: 'office' }), ['admin', 'office'], 'look people up'),
    ).not.toThrow();
    expect(() => assertRole(principal({ role: 'admin' }), ['admin'], 'x')).not.toThrow();
    for (const role of ['grid', 'viewer'] as const) {
      const error = thrown(() =>
        assertRole(principal({ role }), ['admin', 'office'], 'look people up by ID number'),
      );
      expect(error).toBeInstanceOf(Forbidden);
      expect((error as Error).message).toBe(`The ${role} role may not look people up by ID number.`);
    }
    expect(thrown(() => assertRole(principal({ role: 'admin' }), [], 'anything'))).toBeInstanceOf(Forbidden);
  });

  it('assertInScope says what was refused, by default "see that grid"', () => {
    const limited = principal({ gridIds: ['g_1'] });
    expect((thrown(() => assertInScope(limited, 'g_2')) as Error).message).toBe(
      'This key is limited to other grids: it may not see that grid.',
    );
    expect((thrown(() => assertInScope(limited, 'g_2', 'move people into that grid')) as Error).message).toBe(
      'This key is limited to other grids: it may not move people into that grid.',
    );
  });
});

describe('a cursor signed with the secret but not JSON', () => {
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

  const refusal = (cursor: string, tenantId = 't_1', query = 'q'): InvalidInput => {
    try {
      decodeCursor(secret, tenantId, query, cursor);
    } catch (error) {
      if (error instanceof InvalidInput) return error;
      throw error;
    }
    throw new Error('accepted');
  };

  it('is refused as not ours (400 on the cursor), never a crash', () => {
    const payload = Buffer.from('not json {').toString('base64url');
    const error = refusal(`${payload}.${secret.sign(payload)}`);
    expect(error.errors).toEqual([{ path: 'cursor', message: 'is not a cursor this API issued' }]);
  });

  it('another tenant’s cursor is not ours; another query’s is named as such', () => {
    const cursor = encodeCursor(secret, 't_1', 'q', 'position');
    expect(decodeCursor(secret, 't_1', 'q', cursor)).toBe('position');
    expect(refusal(cursor, 't_2').errors).toEqual([
      { path: 'cursor', message: 'is not a cursor this API issued' },
    ]);
    expect(refusal(cursor, 't_1', 'other').errors).toEqual([
      { path: 'cursor', message: 'belongs to a different query' },
    ]);
  });
});
