import { adminOnly, anyRole } from '../../platform/access/roles.js';
import { declareRoute } from '../../platform/http/route.js';
import { gridBody, gridListResponse, gridSchema } from './schemas.js';

export const gridRoutes = {
  create: declareRoute({
    method: 'POST',
    path: '/v1/grids',
    access: adminOnly,
    summary: 'Create a grid',
    body: gridBody,
    response: gridSchema,
    status: 201,
  }),
  list: declareRoute({
    method: 'GET',
    path: '/v1/grids',
    access: anyRole,
    summary: 'List grids in scope',
    response: gridListResponse,
  }),
  get: declareRoute({
    method: 'GET',
    path: '/v1/grids/{gridId}',
    access: anyRole,
    summary: 'One grid',
    response: gridSchema,
  }),
};
