import { matchRequest, routes } from '../../shared/app/index.js';
import { platformRoutes } from '../../shared/app/platform-routes.js';
import { httpHandler } from '../../shared/platform/http/handler.js';
import { openApiDocument } from '../../shared/platform/http/openapi.js';
import { HttpProblem } from '../../shared/platform/http/problem.js';
import { implement } from '../../shared/platform/http/route.js';

/** Health and the OpenAPI document; also serves `$default` (unknown paths 404, wrong methods 405). */
export const handler = httpHandler({
  routes: [
    implement(platformRoutes.health, async () => ({ body: { status: 'ok' as const } })),
    implement(platformRoutes.openapi, async () => ({ body: openApiDocument(routes) })),
  ],
  unmatched: (event) => {
    const match = matchRequest(event.requestContext.http.method, event.rawPath);
    if (match && 'allowedMethods' in match) {
      const allow = match.allowedMethods.join(', ');
      return new HttpProblem(405, `${event.rawPath} allows ${allow}.`, {}, { allow });
    }
    return new HttpProblem(404, `No route ${event.requestContext.http.method} ${event.rawPath}.`);
  },
});
