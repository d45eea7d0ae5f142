import { monthOf, todayIn } from '../../shared/platform/dates.js';
import type { Api } from './api.js';
import { type CallLatency, CallTimes, perSecond, pool, waitUntil } from './measure.js';
import type { RegistrationFigure } from './registrations.js';

export interface PersonCallsFigure {
  concurrency: number;
  verifiedOn: string;
  read: CallLatency & { perSecond: number };
  verify: CallLatency & { perSecond: number };
}

/**
 * Figure 1, continued: latency of reading one person (`GET /v1/people/{id}`) and of recording a
 * verification (`POST /v1/people/{id}/verifications`, present, today in Asia/Shanghai), each at
 * `concurrency` in flight over the people figure 1 registered through the API — one call per
 * person. The warm-up people are read and verified first (untimed: both handlers loaded). After
 * the verifications the stream aggregator is let catch up (untimed) before the next figure.
 */
export async function personCalls(
  api: Api,
  registered: RegistrationFigure,
  opts: { concurrency: number },
): Promise<PersonCallsFigure> {
  const { key } = registered.township;
  const verifiedOn = todayIn('Asia/Shanghai');
  const verification = { verifiedOn, outcome: 'present' };
  const read = (times?: CallTimes) => async (personId: string) => {
    const res = await api.expectTimed(200, 'GET', `/v1/people/${personId}`, { key });
    times?.add(res);
  };
  const verify = (times?: CallTimes) => async (personId: string) => {
    const res = await api.expectTimed(200, 'POST', `/v1/people/${personId}/verifications`, {
      key,
      body: verification,
    });
    times?.add(res);
  };

  await pool(registered.warmUpPersonIds, opts.concurrency, read());
  await pool(registered.warmUpPersonIds, opts.concurrency, verify());

  const reads = new CallTimes();
  const readMs = await pool(registered.personIds, opts.concurrency, read(reads));
  const verifications = new CallTimes();
  const verifyMs = await pool(registered.personIds, opts.concurrency, verify(verifications));

  const verified = registered.warmUpPersonIds.length + registered.personIds.length;
  await waitUntil(
    'stats after verifications',
    () => api.verificationsIn(key, monthOf(verifiedOn)),
    (n) => n === verified,
    { intervalMs: 100, timeoutMs: 60_000 },
  );
  return {
    concurrency: opts.concurrency,
    verifiedOn,
    read: { ...reads.summary(), perSecond: perSecond(registered.personIds.length, readMs) },
    verify: { ...verifications.summary(), perSecond: perSecond(registered.personIds.length, verifyMs) },
  };
}
