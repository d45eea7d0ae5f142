import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpProblem } from './problem.js';
import type { RouteResponse } from './route.js';

export function jsonResponse(
  r: RouteResponse & { status: number },
  requestId: string,
): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { ...(r.headers ?? {}), 'x-request-id': requestId };
  if (r.body === undefined) return { statusCode: r.status, headers };
  headers['content-type'] ??= 'application/json; charset=utf-8';
  return { statusCode: r.status, headers, body: JSON.stringify(r.body) };
}

export function problemResponse(p: HttpProblem, requestId: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: p.status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': requestId, ...p.headers },
    body: JSON.stringify({ ...p.body(), requestId }),
  };
}
