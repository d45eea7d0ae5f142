import { z } from 'zod';
import { httpHandler, route } from '../../shared/http/handler.js';
import { inScope } from '../../shared/http/principal.js';
import { problems } from '../../shared/http/problem.js';
import { entityId, text } from '../../shared/http/schemas.js';
import { gridRepository } from '../../shared/table/grids.js';

const gridBody = z.strictObject({ name: text(200), community: text(200) });

const view = ({ gridId, name, community }: { gridId: string; name: string; community: string }) => ({
  gridId,
  name,
  community,
});

export const handler = httpHandler('grids', {
  'POST /v1/grids': route({
    body: gridBody,
    handle: async ({ principal, body }) => ({
      status: 201,
      body: view(await gridRepository(principal).create(body)),
    }),
  }),

  'GET /v1/grids': route({
    handle: async ({ principal }) => {
      const grids = await gridRepository(principal).list();
      return {
        status: 200,
        body: { items: grids.filter((g) => inScope(principal, g.gridId)).map(view), nextCursor: null },
      };
    },
  }),

  'GET /v1/grids/{gridId}': route({
    handle: async ({ principal, params }) => {
      const gridId = params.gridId ?? '';
      const grid = entityId.safeParse(gridId).success
        ? await gridRepository(principal).get(gridId)
        : undefined;
      if (!grid) throw problems.notFound('grid');
      if (!inScope(principal, gridId)) throw problems.forbidden('This key is limited to other grids.');
      return { status: 200, body: view(grid) };
    },
  }),
});
