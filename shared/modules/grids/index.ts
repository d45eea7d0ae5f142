import type { Module } from '../../platform/module.js';
import { gridRoutes } from './routes.js';
import { gridIdPrefix } from './rules.js';

export const gridsModule: Module = {
  name: 'grids',
  http: { name: 'grids', entry: 'functions/http/grids.ts', description: 'grids', tableAccess: 'readWrite' },
  routes: Object.values(gridRoutes),
  entities: ['grid'],
  keyPrefixes: ['GRID'],
  idPrefixes: [gridIdPrefix],
};
