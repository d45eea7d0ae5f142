import { Forbidden } from '../errors.js';
import type { Principal } from './principal.js';
import type { Role } from './roles.js';

/**
 * Grid scope, written once: a key limited to some grids may see and act only inside them.
 */
export function inScope(p: Principal, gridId: string): boolean {
  return p.gridIds === undefined || p.gridIds.includes(gridId);
}

/** The grids of `gridIds` the key may see, in their order. */
export const withinScope = (p: Principal, gridIds: readonly string[]): string[] =>
  gridIds.filter((g) => inScope(p, g));

/** Throw Forbidden unless the key's grids cover `gridId`; `doing` says what was refused. */
export function assertInScope(p: Principal, gridId: string, doing = 'see that grid'): void {
  if (!inScope(p, gridId)) throw new Forbidden(`This key is limited to other grids: it may not ${doing}.`);
}

/** Throw Forbidden unless the key's role is one of `allowed`. */
export function assertRole(p: Principal, allowed: readonly Role[], doing: string): void {
  if (!allowed.includes(p.role)) throw new Forbidden(`The ${p.role} role may not ${doing}.`);
}
