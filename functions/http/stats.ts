import { engine } from '../../shared/app/index.js';
import { statisticsHandlers } from '../../shared/modules/statistics/handlers.js';
import { httpHandler } from '../../shared/platform/http/handler.js';

export const handler = httpHandler({ routes: statisticsHandlers(engine) });
