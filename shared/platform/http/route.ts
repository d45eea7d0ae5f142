import type { z } from 'zod';
import type { Principal } from '../access/principal.js';
import type { Role } from '../access/roles.js';
import { withinTenant } from '../table/tenant-scope.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * A route as a module declares it: method, path, who may call it, and the zod schemas of its
 * request and response. The composition root turns the modules' declarations into THE route
 * table (API Gateway routes, the local host, the OpenAPI document); a module's handlers
 * implement its declarations (`implement`), typed by them.
 */
export interface RouteDeclaration<B = unknown, Q = unknown, R = unknown> {
  method: HttpMethod;
  /** API Gateway path syntax: `/v1/people/{personId}` */
  path: string;
  /** `public`: no Authorization header needed and no authorizer runs. */
  access: 'public' | readonly Role[];
  /** Served by another HTTP function of the module (one of its `httpGroups`), not its main one. */
  group?: string;
  summary: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  /** The success response's body (none for 204). */
  response?: z.ZodType<R>;
  /** The success status (default 200). */
  status?: number;
  /**
   * The DynamoDB requests one successful call may make on a warm stack (the authorizer's
   * answer cached): held by tests/integration/budget. For a batch route: with one item; each
   * further item adds its own write.
   */
  budget: number;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of routes of every body, query and response type
export type AnyRouteDeclaration = RouteDeclaration<any, any, any>;

/** Declare a route; types flow from the schemas into its implementation. */
export const declareRoute = <B = undefined, Q = Record<string, string>, R = undefined>(
  declaration: RouteDeclaration<B, Q, R>,
): RouteDeclaration<B, Q, R> => declaration;

export const routeKeyOf = (r: Pick<RouteDeclaration, 'method' | 'path'>): string => `${r.method} ${r.path}`;

export interface RouteRequest<B, Q> {
  principal: Principal;
  body: B;
  query: Q;
  params: Record<string, string>;
  headers: Record<string, string>;
  requestId: string;
}

export interface RouteResponse<R = unknown> {
  status?: number;
  body?: R;
  headers?: Record<string, string>;
}

/** A route's implementation, bound to its declaration. */
export interface RouteImplementation<B = unknown, Q = unknown, R = unknown> {
  declaration: RouteDeclaration<B, Q, R>;
  handle(req: RouteRequest<B, Q>): Promise<RouteResponse<R>>;
}

// biome-ignore lint/suspicious/noExplicitAny: implementations of differently typed routes live in one list
export type AnyRouteImplementation = RouteImplementation<any, any, any>;

/** Implement a declared route; `handle` gets the parsed body and query the declaration names. */
export const implement = <B, Q, R>(
  declaration: RouteDeclaration<B, Q, R>,
  handle: (req: RouteRequest<B, Q>) => Promise<RouteResponse<R>>,
): RouteImplementation<B, Q, R> => ({
  declaration,
  // A tenant's request runs in its tenant scope: every key it sends is checked (and, on AWS,
  // signed with credentials IAM limits to the tenant's keys).
  handle: (req) => (req.principal ? withinTenant(req.principal, () => handle(req)) : handle(req)),
});
