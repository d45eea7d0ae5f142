import type { TenantSettings } from '../settings.js';
import type { Role } from './roles.js';

/**
 * Who is calling: what the authorizer found for the API key, passed on as API Gateway does —
 * with what every request needs of the tenant (its settings), so no route reads the tenant item
 * to learn its time zone. Settings changed with PATCH /v1/tenant/settings reach requests within
 * the authorizer cache's TTL (both hosts cache alike).
 */
export interface Principal {
  tenantId: string;
  keyId: string;
  keyName: string;
  role: Role;
  /** Grids the key is limited to; undefined = every grid of the tenant. */
  gridIds: readonly string[] | undefined;
  settings: TenantSettings;
}

/**
 * The authorizer's context, flat strings (HTTP API simple responses). `refused` is set when the
 * key is missing, unknown or revoked: the function then answers 401 as problem+json (API
 * Gateway's own authorizer denial would be a bare 403).
 */
export type AuthorizerContext =
  | { refused: 'true'; reason: RefusalReason }
  | {
      refused: 'false';
      tenantId: string;
      keyId: string;
      keyName: string;
      role: Role;
      gridIds: string;
      timeZone: string;
      staleAfterDays: string;
      verificationCycleDays: string;
      /** '' when the tenant sets no maximum. */
      maxKeyAgeDays: string;
    };

/** Why the authorizer refused a key: shown in the 401's detail. */
export type RefusalReason = 'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired';

const refusalDetails: Record<RefusalReason, string> = {
  missing: 'A valid API key is required: Authorization: Bearer <apiKey>.',
  malformed: 'The Authorization header must be: Bearer <apiKey>.',
  unknown: 'This API key is unknown.',
  revoked: 'This API key has been revoked.',
  expired: 'This API key has expired.',
};

/** The 401 detail for a refused (or absent) authorizer context. */
export function refusalDetail(ctx: Record<string, unknown> | undefined): string {
  const reason = ctx?.reason as RefusalReason | undefined;
  return reason && Object.hasOwn(refusalDetails, reason) ? refusalDetails[reason] : refusalDetails.missing;
}

export function toAuthorizerContext(p: Principal): AuthorizerContext {
  return {
    refused: 'false',
    tenantId: p.tenantId,
    keyId: p.keyId,
    keyName: p.keyName,
    role: p.role,
    gridIds: p.gridIds ? p.gridIds.join(',') : '*',
    timeZone: p.settings.timeZone,
    staleAfterDays: String(p.settings.staleAfterDays),
    verificationCycleDays: String(p.settings.verificationCycleDays),
    maxKeyAgeDays: p.settings.maxKeyAgeDays === null ? '' : String(p.settings.maxKeyAgeDays),
  };
}

export function fromAuthorizerContext(ctx: Record<string, unknown> | undefined): Principal | undefined {
  if (ctx?.refused !== 'false') return undefined;
  // Fail closed: a context that does not say which grids is no principal (never "every grid").
  if (typeof ctx.gridIds !== 'string') return undefined;
  const gridIds = ctx.gridIds;
  const staleAfterDays = Number(ctx.staleAfterDays);
  const verificationCycleDays = Number(ctx.verificationCycleDays);
  const maxKeyAgeDays =
    ctx.maxKeyAgeDays === '' || ctx.maxKeyAgeDays === undefined ? null : Number(ctx.maxKeyAgeDays);
  if (
    typeof ctx.timeZone !== 'string' ||
    !Number.isInteger(staleAfterDays) ||
    !Number.isInteger(verificationCycleDays)
  )
    return undefined;
  return {
    tenantId: String(ctx.tenantId),
    keyId: String(ctx.keyId),
    keyName: String(ctx.keyName),
    role: ctx.role as Role,
    gridIds: gridIds === '*' ? undefined : gridIds.split(',').filter((g) => g !== ''),
    settings: { timeZone: ctx.timeZone, staleAfterDays, verificationCycleDays, maxKeyAgeDays },
  };
}

/** Who did it, as history records it (key id and name; never the secret). */
export interface Actor {
  keyId: string;
  name: string;
}

export const actorOf = (p: Principal): Actor => ({ keyId: p.keyId, name: p.keyName });
