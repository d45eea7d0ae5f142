import { apiKeysModule } from './api-keys';
import { authModule } from './auth';
import { dashboardModule } from './dashboard';
import { gridsModule } from './grids';
import { housingModule } from './housing';
import type { ConsoleModule } from './module';
import { peopleModule } from './people';
import { reconciliationsModule } from './reconciliations';
import { settingsModule } from './settings';

/** Every page of the console: a new module's pages are one folder and one line here. */
export const consoleModules: readonly ConsoleModule[] = [
  authModule,
  dashboardModule,
  peopleModule,
  housingModule,
  gridsModule,
  apiKeysModule,
  settingsModule,
  reconciliationsModule,
];
