import { AsyncLocalStorage } from 'node:async_hooks';
import type { TenantContext } from './tenant-context.js';

/**
 * The tenant a piece of work serves. A request of a tenant runs inside `withinTenant`: every
 * key the shared DynamoDB client sends to the registry table must then start with that
 * tenant's prefix (checked on both hosts, see ./tenant-guard.ts), and on AWS the client signs
 * with credentials scoped to that tenant by IAM (`dynamodb:LeadingKeys`). Platform-level work
 * (the API-key lookup items, sign-up, the stream aggregator, the jobs) runs outside any tenant
 * scope, with its function's own narrow role.
 */
export type Scope = { kind: 'tenant'; tenantId: string } | { kind: 'platform'; reason: string };

const storage = new AsyncLocalStorage<Scope>();

export const withinTenant = <T>(t: TenantContext, work: () => Promise<T>): Promise<T> =>
  storage.run({ kind: 'tenant', tenantId: t.tenantId }, work);

/** Step out of the tenant scope for a platform-level item (say why: it shows in errors). */
export const asPlatform = <T>(reason: string, work: () => Promise<T>): Promise<T> =>
  storage.run({ kind: 'platform', reason }, work);

export const currentScope = (): Scope | undefined => storage.getStore();
