import { todayIn } from '../../shared/platform/dates.js';
import { lastTwelveMonths, seedCommunity, seedHousing, seedHousingNumbers } from './seed-data.js';
import { localSettings } from './settings.js';

/**
 * `npm run seed`: sign up a demo township on the running local stack (same PORT setting as
 * `npm start`), create three grids and register the seed report's community — 303 people,
 * 299 inflow and 4 outflow, 127 inflow women of childbearing age (107 married), 2 married
 * outflow women — and its district's housing (docs/housing.md): 132 landlords, 382 registered
 * houses, 78 discovered, 211 banned (illegal rentals), 2,316 letters signed in the last 12 months,
 * 150 of the people living in houses. Everything goes through the public API (batch routes where
 * there are some), then it prints the admin key and the figures once the statistics show them.
 */

type Json = Record<string, unknown>;

const base = `http://127.0.0.1:${localSettings().port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request; a throttled one (429) is sent again after a pause, anything else ≥ 300 fails the seed. */
async function send(method: string, path: string, key: string | undefined, body?: unknown): Promise<Json> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Json;
    if (res.status === 429 && attempt < 20) {
      await sleep(200 * (attempt + 1));
      continue;
    }
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
}

/** `fn` over `items`, `concurrency` at a time, results in the items' order. */
async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * 25 items a request, two requests in flight: on DynamoDB Local a batch of 100 takes 6–10 s on a
 * busy laptop — close to the function's 10 s timeout, after which part of it may be written.
 */
const chunks = <T>(items: readonly T[], size = 25): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** A batch route's items, each of which must have been created (201); their results in order. */
async function batch(path: string, key: string, items: readonly unknown[]): Promise<Json[]> {
  const answers = await pool(chunks(items), 2, (chunk) => send('POST', path, key, { items: chunk }));
  const results = answers.flatMap((a) => a.results as Json[]);
  const failed = results.findIndex((r) => r.status !== 201);
  if (failed >= 0) throw new Error(`${path} item ${failed}: ${JSON.stringify(results[failed])}`);
  return results;
}

async function main(): Promise<void> {
  const today = todayIn('Asia/Shanghai');
  const signup = await send('POST', '/v1/signup', undefined, {
    townshipName: 'Demo Township',
    adminName: 'Demo Admin',
    adminEmail: 'admin@example.cn',
  });
  const key = signup.apiKey as string;
  const grids: string[] = [];
  for (const name of ['Grid 1', 'Grid 2', 'Grid 3'])
    grids.push(
      (await send('POST', '/v1/grids', key, { name, community: 'Xinhua Community' })).gridId as string,
    );

  // Housing first, so people can name the house they live in when they are registered.
  const housing = seedHousing(today, grids);
  const landlordIds = (await pool(housing.landlords, 6, (l) => send('POST', '/v1/landlords', key, l))).map(
    (l) => l.landlordId as string,
  );
  const houseIds = (await batch('/v1/houses/batch', key, housing.houses(landlordIds))).map(
    (r) => (r.house as Json).houseId as string,
  );
  await batch('/v1/people/batch', key, housing.occupy(seedCommunity(today, grids), houseIds));
  await batch('/v1/letters/batch', key, housing.letters(houseIds, landlordIds));
  // Banned last: a banned house takes no new occupants (its people stay, on the worklist).
  await pool(housing.bans(houseIds), 6, (b) => send('POST', `/v1/houses/${b.houseId}/ban`, key, b.body));

  // The figures, once the statistics have counted everything (the stream: a second or two).
  const months = lastTwelveMonths(today);
  const read = async () => {
    const stats = await send('GET', '/v1/stats', key);
    const monthly = await send('GET', `/v1/stats/monthly?from=${months[0]}&to=${months.at(-1)}`, key);
    const totals = stats.totals as Record<string, number>;
    const lettersSigned = (monthly.months as { lettersSigned: number }[]).reduce(
      (n, m) => n + m.lettersSigned,
      0,
    );
    return { totals, lettersSigned };
  };
  const caughtUp = (f: Awaited<ReturnType<typeof read>>) =>
    f.totals.floatingPopulation === 303 &&
    f.totals.housesBanned === seedHousingNumbers.housesBanned &&
    f.totals.lettersValid === seedHousingNumbers.lettersValid &&
    f.lettersSigned === seedHousingNumbers.lettersSignedInLast12Months;
  let figures = await read();
  for (const until = Date.now() + 30_000; !caughtUp(figures) && Date.now() < until; figures = await read())
    await sleep(500);
  if (!caughtUp(figures))
    console.error('the statistics have not counted everything yet (30 s): figures so far');
  const { totals, lettersSigned } = figures;
  const people = Object.fromEntries(
    Object.entries(totals).filter(([k]) => !/^houses|^letters|Rate$/.test(k)),
  );
  const percent = (r: unknown) => (typeof r === 'number' ? `${Math.round(r * 100)} %` : String(r));
  console.log(
    JSON.stringify(
      {
        tenantId: signup.tenantId,
        adminKey: key,
        grids,
        totals: people,
        housing: {
          housesRegistered: totals.housesRegistered,
          housesDiscovered: totals.housesDiscovered,
          housesBanned: totals.housesBanned,
          registrationRate: percent(totals.registrationRate),
          lettersSignedInLast12Months: lettersSigned,
          lettersValid: totals.lettersValid,
          housesLet: totals.housesLet,
          housesVacant: totals.housesVacant,
          housesOverOccupied: totals.housesOverOccupied,
          housesWithoutValidSecurityLetter: totals.housesWithoutValidSecurityLetter,
          occupancyRate: percent(totals.occupancyRate),
          landlords: landlordIds.length,
        },
      },
      null,
      2,
    ),
  );
}

main().catch((error: Error) => {
  console.error(`seed failed: ${error.message} (is npm start running on this PORT?)`);
  process.exit(1);
});
