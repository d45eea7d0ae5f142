import { adminOnly, anyRole } from '../../platform/access/roles.js';
import { declareRoute } from '../../platform/http/route.js';
import { gridBody, gridListResponse, gridSchema } from './schemas.js';

export const gridRoutes = {
  create: declareRoute({
    method: 'POST',
    path: '/v1/grids',
    access: adminOnly,
    budget: 1,
    summary: 'Create a grid',
    body: gridBody,
    response: gridSchema,
    status: 201,
  }),
  list: declareRoute({
    method: 'GET',
    path: '/v1/grids',
    access: anyRole,
    budget: 1,
    summary: 'List grids in scope',
    response: gridListResponse,
  }),
  get: declareRoute({
    method: 'GET',
    path: '/v1/grids/{gridId}',
    access: anyRole,
    budget: 1,
    summary: 'One grid',
    response: gridSchema,
  }),
};
