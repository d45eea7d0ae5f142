import type { AnyRouteDeclaration } from './route.js';

/** A malformed escape (`%zz`) stays as sent: the id is then simply unknown (404), never a 5xx. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export type RouteMatch<R> =
  | { route: R; pathParameters: Record<string, string> }
  | { allowedMethods: string[] }
  | undefined;

/** Match a concrete request path against a route table, as API Gateway does (most literal segments win). */
export function matchRoute<R extends Pick<AnyRouteDeclaration, 'method' | 'path'>>(
  table: readonly R[],
  method: string,
  path: string,
): RouteMatch<R> {
  const segments = path.split('/').filter((s) => s !== '');
  // Every method some route fitting the path has (each once: `/v1/people/due` fits two patterns).
  const allowed: string[] = [];
  let found: { route: R; pathParameters: Record<string, string>; literal: number } | undefined;
  for (const route of table) {
    const parts = route.path.split('/').filter((s) => s !== '');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literal = 0;
    let ok = true;
    parts.forEach((p, i) => {
      const seg = segments[i] as string;
      if (p.startsWith('{') && p.endsWith('}')) params[p.slice(1, -1)] = safeDecode(seg);
      else if (p === seg) literal++;
      else ok = false;
    });
    if (!ok) continue;
    if (route.method !== method) {
      if (!allowed.includes(route.method)) allowed.push(route.method);
      continue;
    }
    if (!found || literal > found.literal) found = { route, pathParameters: params, literal };
  }
  if (found) return { route: found.route, pathParameters: found.pathParameters };
  if (allowed.length > 0) return { allowedMethods: allowed };
  return undefined;
}
