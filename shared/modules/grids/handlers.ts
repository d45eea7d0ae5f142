import { implement } from '../../platform/http/route.js';
import { type Grid, gridRepository } from './repository.js';
import { gridRoutes as routes } from './routes.js';
import { gridInScope, gridsInScope } from './use-cases.js';

const view = ({ gridId, name, community }: Grid) => ({ gridId, name, community });

export const gridHandlers = [
  implement(routes.create, async ({ principal, body }) => ({
    body: view(await gridRepository(principal).create(body)),
  })),
  implement(routes.list, async ({ principal }) => ({
    body: { items: (await gridsInScope(principal)).map(view), nextCursor: null },
  })),
  implement(routes.get, async ({ principal, params }) => ({
    body: view(await gridInScope(principal, params.gridId)),
  })),
];
