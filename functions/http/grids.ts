import { gridHandlers } from '../../shared/modules/grids/handlers.js';
import { httpHandler } from '../../shared/platform/http/handler.js';

export const handler = httpHandler({ routes: gridHandlers });
