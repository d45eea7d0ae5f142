import { todayIn } from '../../shared/platform/dates.js';
import { seedCommunity } from './seed-data.js';
import { localSettings } from './settings.js';

/**
 * `npm run seed`: sign up a demo township on the running local stack (same PORT setting as
 * `npm start`), create three grids and register the seed report's community — 303 people,
 * 299 inflow and 4 outflow, 127 inflow women of childbearing age (107 married), 2 married
 * outflow women — then print the admin key and the statistics.
 */
async function main(): Promise<void> {
  const base = `http://127.0.0.1:${localSettings().port}`;
  const post = async (path: string, body: unknown, key?: string) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const signup = await post('/v1/signup', {
    townshipName: 'Demo Township',
    adminName: 'Demo Admin',
    adminEmail: 'admin@example.cn',
  });
  const key = signup.apiKey as string;
  const grids: string[] = [];
  for (const name of ['Grid 1', 'Grid 2', 'Grid 3'])
    grids.push((await post('/v1/grids', { name, community: 'Xinhua Community' }, key)).gridId as string);
  const people = seedCommunity(todayIn('Asia/Shanghai'), grids);
  for (let i = 0; i < people.length; i += 100)
    await post('/v1/people/batch', { items: people.slice(i, i + 100) }, key);
  await new Promise((r) => setTimeout(r, 2000));
  const stats = await (
    await fetch(`${base}/v1/stats`, { headers: { authorization: `Bearer ${key}` } })
  ).json();
  console.log(
    JSON.stringify(
      { tenantId: signup.tenantId, adminKey: key, grids, totals: (stats as { totals: unknown }).totals },
      null,
      2,
    ),
  );
}

main().catch((error: Error) => {
  console.error(`seed failed: ${error.message} (is npm start running on this PORT?)`);
  process.exit(1);
});
