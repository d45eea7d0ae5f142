import { housingProblem } from '../../shared/modules/housing/errors.js';
import { housingHandlers } from '../../shared/modules/housing/handlers.js';
import { httpHandler } from '../../shared/platform/http/handler.js';

export const handler = httpHandler({ routes: housingHandlers, problems: housingProblem });
