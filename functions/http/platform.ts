import { httpHandler, publicRoute } from '../../shared/http/handler.js';
import { openApiDocument } from '../../shared/http/openapi.js';

/** Health and the OpenAPI document; also serves `$default` (unknown paths, wrong methods). */
export const handler = httpHandler('platform', {
  'GET /v1/health': publicRoute({ handle: async () => ({ status: 200, body: { status: 'ok' } }) }),
  'GET /v1/openapi.json': publicRoute({ handle: async () => ({ status: 200, body: openApiDocument() }) }),
});
