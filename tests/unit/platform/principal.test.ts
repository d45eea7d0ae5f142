import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Person } from '../../../shared/modules/people/rules/person.js';
import { personView } from '../../../shared/modules/people/use-cases/view.js';
import {
  type AuthorizerContext,
  fromAuthorizerContext,
  type Principal,
  toAuthorizerContext,
} from '../../../shared/platform/access/principal.js';
import { roles } from '../../../shared/platform/access/roles.js';
import { assertInScope, inScope, withinScope } from '../../../shared/platform/access/scope.js';
import { Forbidden } from '../../../shared/platform/errors.js';

describe('principal', () => {
  const principal = (over: Partial<Principal> = {}): Principal => ({
    tenantId: 't_01TENANT',
    keyId: 'k_01KEY',
    keyName: 'Street office 3',
    role: 'office',
    gridIds: undefined,
    settings: {
      timeZone: 'Asia/Shanghai',
      staleAfterDays: 120,
      verificationCycleDays: 90,
      maxKeyAgeDays: null,
    },
    ...over,
  });

  it('round-trips a principal with every grid (gridIds undefined)', () => {
    const p = principal();
    const ctx = toAuthorizerContext(p);
    expect(ctx.refused).toBe('false');
    expect(fromAuthorizerContext(ctx)).toEqual(p);
    expect(fromAuthorizerContext(ctx)?.gridIds).toBeUndefined();
  });

  it('round-trips a principal limited to a list of grids', () => {
    for (const gridIds of [['g_1'], ['g_1', 'g_2', 'g_3']]) {
      const p = principal({ role: 'grid', gridIds });
      expect(fromAuthorizerContext(toAuthorizerContext(p))).toEqual(p);
    }
  });

  it('an empty grid list stays empty (no grid), it does not become every grid', () => {
    const p = principal({ role: 'grid', gridIds: [] });
    const back = fromAuthorizerContext(toAuthorizerContext(p));
    expect(back?.gridIds).toEqual([]);
    expect(back && inScope(back, 'g_1')).toBe(false);
  });

  it('the context is flat strings, as HTTP API simple responses require', () => {
    const ctx = toAuthorizerContext(principal({ gridIds: ['g_1', 'g_2'] }));
    for (const v of Object.values(ctx)) expect(typeof v).toBe('string');
  });

  it('round-trips any principal (property)', () => {
    const gridId = fc.stringMatching(/^g_[0-9A-Z]{1,26}$/);
    fc.assert(
      fc.property(
        fc.record({
          tenantId: fc.string(),
          keyId: fc.string(),
          keyName: fc.string(),
          role: fc.constantFrom(...roles),
          gridIds: fc.option(fc.array(gridId, { maxLength: 10 }), { nil: undefined }),
          settings: fc.record({
            timeZone: fc.constantFrom('Asia/Shanghai', 'Asia/Urumqi', 'UTC'),
            staleAfterDays: fc.integer({ min: 1, max: 3650 }),
            verificationCycleDays: fc.integer({ min: 1, max: 3650 }),
            maxKeyAgeDays: fc.option(fc.integer({ min: 1, max: 3650 }), { nil: null }),
          }),
        }),
        (p) => {
          expect(fromAuthorizerContext(toAuthorizerContext(p))).toEqual(p);
        },
      ),
    );
  });

  it('a refused or missing context is no principal', () => {
    const refused: AuthorizerContext = { refused: 'true', reason: 'unknown' };
    expect(fromAuthorizerContext(refused)).toBeUndefined();
    expect(fromAuthorizerContext(undefined)).toBeUndefined();
    expect(fromAuthorizerContext({})).toBeUndefined();
    expect(fromAuthorizerContext({ tenantId: 't', keyId: 'k', role: 'admin' })).toBeUndefined();
    // only the string 'false' admits: not a boolean, not any other value
    expect(fromAuthorizerContext({ ...toAuthorizerContext(principal()), refused: false })).toBeUndefined();
    expect(fromAuthorizerContext({ ...toAuthorizerContext(principal()), refused: 'no' })).toBeUndefined();
  });

  it('inScope: every grid when unlimited, only the listed ones otherwise', () => {
    expect(inScope(principal(), 'g_anything')).toBe(true);
    const limited = principal({ role: 'grid', gridIds: ['g_1', 'g_2'] });
    expect(inScope(limited, 'g_1')).toBe(true);
    expect(inScope(limited, 'g_2')).toBe(true);
    expect(inScope(limited, 'g_3')).toBe(false);
    expect(inScope(limited, 'g_')).toBe(false);
    expect(inScope(limited, '')).toBe(false);
    expect(inScope(principal({ gridIds: [] }), 'g_1')).toBe(false);
  });

  it('inScope survives the authorizer round trip', () => {
    const back = fromAuthorizerContext(toAuthorizerContext(principal({ role: 'grid', gridIds: ['g_1'] })));
    expect(back).toBeDefined();
    if (!back) return;
    expect(inScope(back, 'g_1')).toBe(true);
    expect(inScope(back, 'g_10')).toBe(false);
  });

  it('withinScope keeps the listed grids in their order; assertInScope refuses the others as Forbidden', () => {
    const limited = principal({ role: 'grid', gridIds: ['g_1', 'g_3'] });
    expect(withinScope(limited, ['g_3', 'g_2', 'g_1'])).toEqual(['g_3', 'g_1']);
    expect(withinScope(principal(), ['g_3', 'g_2', 'g_1'])).toEqual(['g_3', 'g_2', 'g_1']);
    expect(withinScope(principal({ gridIds: [] }), ['g_1'])).toEqual([]);
    expect(() => assertInScope(limited, 'g_1')).not.toThrow();
    expect(() => assertInScope(limited, 'g_2')).toThrow(Forbidden);
    expect(() => assertInScope(principal(), 'g_2')).not.toThrow();
  });

  it('only admin and office see identifiers in lists; viewers never; grid keys on single reads', () => {
    const person = { idNumber: '11010519491231002X', phone: '13812345678' } as Person;
    const raw = (role: Principal['role'], inList: boolean) =>
      personView(person, principal({ role }), inList).idNumber === person.idNumber;
    expect(roles.filter((role) => raw(role, true))).toEqual(['admin', 'office']);
    expect(roles.filter((role) => raw(role, false))).toEqual(['admin', 'office', 'grid']);
    expect(personView(person, principal({ role: 'viewer' }), false)).toMatchObject({
      idNumber: '110105********002X',
      phone: '138****5678',
    });
  });
});

describe('an authorizer context that does not name its grids', () => {
  it('is no principal (fails closed, never "every grid")', () => {
    const ctx = {
      refused: 'false',
      tenantId: 't_1',
      keyId: 'k_1',
      keyName: 'x',
      role: 'grid',
      timeZone: 'Asia/Shanghai',
      staleAfterDays: '120',
      verificationCycleDays: '90',
      maxKeyAgeDays: '',
    };
    expect(fromAuthorizerContext(ctx)).toBeUndefined();
    expect(fromAuthorizerContext({ ...ctx, gridIds: '*' })?.gridIds).toBeUndefined();
    expect(fromAuthorizerContext({ ...ctx, gridIds: 'g_1' })?.gridIds).toEqual(['g_1']);
  });
});
