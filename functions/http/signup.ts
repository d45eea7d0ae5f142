import { signupHandlers } from '../../shared/modules/tenants/handlers.js';
import { httpHandler } from '../../shared/platform/http/handler.js';

export const handler = httpHandler({ routes: signupHandlers });
