import { useLocalStack } from '../../infra/local/settings.js';
import { dynamoClient } from '../../shared/platform/table/client.js';
import { startStack } from '../support/local-stack.js';
import { Api } from './api.js';
import { personCalls } from './person-calls.js';
import { registrationFigure } from './registrations.js';

const t0 = performance.now();
const stack = await startStack();
try {
  const url = new URL(stack.baseUrl);
  const dynamo = new URL(stack.dynamoEndpoint);
  useLocalStack({ port: Number(url.port), dynamoPort: Number(dynamo.port), dataDir: stack.dataDir, dynamoEndpoint: stack.dynamoEndpoint });
  const api = new Api(stack.baseUrl);
  const f = await registrationFigure(api, { registrations: 600, concurrency: 16, rounds: 4, warmUp: 32, firstIndex: 0 });
  const { personIds, warmUpPersonIds, ...rest } = f;
  console.log(JSON.stringify(rest, null, 1), (performance.now() - t0) / 1000);
  const c = await personCalls(api, f, { concurrency: 16 });
  console.log(JSON.stringify(c, null, 1), (performance.now() - t0) / 1000);
} catch (e) { console.error(e); console.error(stack.logTail()); }
finally { dynamoClient().destroy(); console.log(await stack.stop()); }
process.exit(0);
