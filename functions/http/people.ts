import { peopleProblem } from '../../shared/modules/people/errors.js';
import { peopleHandlers } from '../../shared/modules/people/handlers.js';
import { httpHandler } from '../../shared/platform/http/handler.js';

export const handler = httpHandler({ routes: peopleHandlers, problems: peopleProblem });
