import { housingProblem } from '../../shared/modules/housing/errors.js';
import { housingHandlers } from '../../shared/modules/housing/handlers.js';
import { letterHandlers } from '../../shared/modules/housing/letters/handlers.js';
import { httpHandler } from '../../shared/platform/http/handler.js';

/** The housing module's one HTTP function: houses and landlords, and letters. */
export const handler = httpHandler({
  routes: [...housingHandlers, ...letterHandlers],
  problems: housingProblem,
});
