import { gridsModule } from '../modules/grids/index.js';
import { housingModule } from '../modules/housing/index.js';
import { peopleModule } from '../modules/people/index.js';
import { countingEngine } from '../modules/statistics/engine.js';
import { statisticsModule } from '../modules/statistics/index.js';
import { tenantsModule } from '../modules/tenants/index.js';
import { matchRoute } from '../platform/http/match.js';
import type { AnyRouteDeclaration } from '../platform/http/route.js';
import { routeKeyOf } from '../platform/http/route.js';
import type { HttpGroup, Module, ScheduleDefinition, StreamSubscription } from '../platform/module.js';
import {
  composeRegistryTable,
  idempotencyTable,
  type TableDefinition,
} from '../platform/table/definition.js';
import { platformHttp, platformRoutes } from './platform-routes.js';

export { routeThrottles, type Throttle } from './throttles.js';

/**
 * THE COMPOSITION ROOT. The list of modules, and from it the one route table, the table
 * definition, the stream subscriptions and the schedule list. The AWS stack, the local host,
 * the job runner and every test read these; nothing else imports a module's manifest.
 *
 * Adding a module: its folder under shared/modules/, one line in `domainModules`, and its
 * function entry under functions/ (see the README, "Adding a module").
 */
const domainModules: readonly Module[] = [tenantsModule, gridsModule, peopleModule, housingModule];

/** Every module's counters, and the engine that applies and reconciles them. */
export const counterPlugins = domainModules.flatMap((m) => (m.counters ? [m.counters] : []));
export const engine = countingEngine(counterPlugins);

export const modules: readonly Module[] = [...domainModules, statisticsModule(counterPlugins)];

/** One route of the table: its declaration and the function that serves it. */
export type RouteDefinition = AnyRouteDeclaration & { fn: string };

/** The Lambda functions serving HTTP: the platform's and one per module with routes. */
export const httpFunctions: readonly HttpGroup[] = [
  platformHttp,
  ...modules.flatMap((m) => [...(m.http ? [m.http] : []), ...(m.httpGroups ?? [])]),
];

/** THE route table. */
export const routes: readonly RouteDefinition[] = [
  ...Object.values(platformRoutes).map((r) => ({ ...r, fn: platformHttp.name })),
  ...modules.flatMap((m) => (m.routes ?? []).map((r) => ({ ...r, fn: r.group ?? m.http?.name ?? '' }))),
];

const byKey = new Map(routes.map((r) => [routeKeyOf(r), r]));
export const findRoute = (routeKey: string): RouteDefinition | undefined => byKey.get(routeKey);

/** Match a concrete request against the table, as API Gateway does (the local host, `$default`). */
export const matchRequest = (method: string, path: string) => matchRoute(routes, method, path);

/** Requests that match no route go to `$default`, served by the platform function (404/405 problem+json). */
export const defaultRoute = { routeKey: '$default', fn: platformHttp.name } as const;

/** Stage throttling: API Gateway's default route settings on AWS, a token bucket on the local host. */
export const apiThrottle = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * The API-key authorizer: its entry, how long both hosts cache its answer per Authorization
 * header, and how long it may run (its Lambda timeout; the local host's deadline).
 */
export const authorizer = {
  entry: 'functions/auth/authorizer.ts',
  cacheTtlSeconds: 30,
  timeoutSeconds: 5,
} as const;

/** How long an HTTP function may run: its Lambda timeout on AWS, the deadline the local host gives it. */
export const httpTimeoutSeconds = 10;

/** THE tables: the registry table with every module's index projections, and the idempotency table. */
export const registryTable: TableDefinition = composeRegistryTable(
  modules.map((m) => m.indexProjections ?? {}),
);
export const tables: readonly TableDefinition[] = [registryTable, idempotencyTable];

/** THE stream subscriptions. */
export const streamSubscriptions: readonly StreamSubscription[] = modules.flatMap((m) => m.streams ?? []);

/** THE schedule list. */
export const schedules: readonly ScheduleDefinition[] = modules.flatMap((m) => m.schedules ?? []);
