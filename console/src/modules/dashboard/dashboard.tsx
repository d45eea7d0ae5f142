import { useMemo } from 'preact/hooks';
import { todayIn } from '../../../../shared/platform/dates';
import { api } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { hrefOf, Link } from '../../core/router';
import { useSession } from '../../core/session';
import type { Counters, MonthRow, Stats } from '../../core/types';
import { uiMessages } from '../../ui/messages';
import { LoadError, Loading, Page, usePoll } from '../../ui/page';
import { type ChartSeries, MonthlyChart } from './chart';
import { type DashboardKey, dashboardMessages } from './messages';

/** Every few seconds: the statistics follow a write within ~1–5 s, so the page does too. */
export const statsPollMs = 3_000;
const monthlyPollMs = 10_000;

/** `YYYY-MM` months back from `month`. */
function monthMinus(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const totals: { key: keyof Counters; label: DashboardKey; sub?: boolean }[] = [
  { key: 'floatingPopulation', label: 'floatingPopulation' },
  { key: 'inflow', label: 'inflow' },
  { key: 'outflow', label: 'outflow' },
  { key: 'inflowWomenOfChildbearingAge', label: 'inflowWomen' },
  { key: 'inflowMarriedWomenOfChildbearingAge', label: 'inflowMarried', sub: true },
  { key: 'outflowWomenOfChildbearingAge', label: 'outflowWomen' },
  { key: 'outflowMarriedWomenOfChildbearingAge', label: 'outflowMarried', sub: true },
  { key: 'verificationDue', label: 'verificationDue' },
];

export function DashboardPage() {
  const t = useT(dashboardMessages);
  const tu = useT(uiMessages);
  const f = useFormat();
  const { me, can } = useSession();
  const stats = usePoll(() => api<Stats>('GET', '/v1/stats'), statsPollMs, []);
  const today = stats.data?.asOf ?? todayIn(me?.settings.timeZone ?? 'Asia/Shanghai');
  const to = today.slice(0, 7);
  const from = monthMinus(to, 11);
  const monthly = usePoll(
    () => api<{ months: MonthRow[] }>('GET', '/v1/stats/monthly', { query: { from, to } }),
    monthlyPollMs,
    [from, to],
  );

  return (
    <Page title={t('title')}>
      {stats.data ? (
        <p class="as-of">
          {t('asOf', { date: f.date(stats.data.asOf) })} · {t('live')}{' '}
          {stats.at ? (
            <span class="updated">{tu('lastUpdated', { time: stats.at.toLocaleTimeString(f.locale) })}</span>
          ) : null}
        </p>
      ) : null}
      {stats.error && !stats.data ? <LoadError error={stats.error} /> : null}
      {!stats.data && !stats.error ? <Loading /> : null}
      {stats.data ? (
        <>
          <section aria-labelledby="totals-title">
            <h2 id="totals-title">{t('totals')}</h2>
            <dl class="stat-cards">
              {totals.map(({ key, label, sub }) => (
                <div
                  key={key}
                  class={`stat-card${sub ? ' stat-card--sub' : ''}${key === 'verificationDue' ? ' stat-card--due' : ''}`}
                  data-stat={key}
                >
                  <dt>{t(label)}</dt>
                  <dd>
                    <span class="stat-value">{f.number(stats.data!.totals[key])}</span>
                    {key === 'verificationDue' && can('GET /v1/people/due') ? (
                      <Link class="stat-link" href="/people/due">
                        {t('openDue')}
                      </Link>
                    ) : null}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
          <Worklists />
          <ByGrid stats={stats.data} />
          <Housing stats={stats.data} />
        </>
      ) : null}
      <section aria-labelledby="monthly-title" class="card">
        <h2 id="monthly-title">{t('monthly')}</h2>
        {monthly.data ? (
          <Monthly months={monthly.data.months} />
        ) : monthly.error ? (
          <LoadError error={monthly.error} />
        ) : (
          <Loading />
        )}
      </section>
    </Page>
  );
}

function Worklists() {
  const t = useT(dashboardMessages);
  const { can } = useSession();
  if (!can('GET /v1/people')) return null;
  return (
    <nav class="worklists" aria-labelledby="worklists-title">
      <h2 id="worklists-title">{t('worklists')}</h2>
      <ul>
        <li>
          <Link href="/people?status=active">{t('allActive')}</Link>
        </li>
        {can('GET /v1/people/due') ? (
          <li>
            <Link href="/people/due">{t('dueList')}</Link>
          </li>
        ) : null}
        <li>
          <Link href="/people?status=departed">{t('departedList')}</Link>
        </li>
        <li>
          <Link href="/people?status=closed">{t('closedList')}</Link>
        </li>
        {housingWorklists
          .filter((w) => can(w.requires))
          .map((w) => (
            <li key={w.href}>
              <Link href={w.href}>{t(w.label)}</Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}

const gridColumns: { key: keyof Counters; label: DashboardKey }[] = [
  { key: 'floatingPopulation', label: 'colFloating' },
  { key: 'inflow', label: 'colInflow' },
  { key: 'outflow', label: 'colOutflow' },
  { key: 'inflowWomenOfChildbearingAge', label: 'colInflowWomen' },
  { key: 'inflowMarriedWomenOfChildbearingAge', label: 'colInflowMarried' },
  { key: 'outflowWomenOfChildbearingAge', label: 'colOutflowWomen' },
  { key: 'outflowMarriedWomenOfChildbearingAge', label: 'colOutflowMarried' },
];

function ByGrid({ stats }: { stats: Stats }) {
  const t = useT(dashboardMessages);
  const f = useFormat();
  const { can } = useSession();
  const communities = useMemo(() => {
    const groups = new Map<string, Stats['grids']>();
    for (const g of stats.grids) groups.set(g.community, [...(groups.get(g.community) ?? []), g]);
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [stats]);
  return (
    <section aria-labelledby="bygrid-title" class="card">
      <h2 id="bygrid-title">{t('byGrid')}</h2>
      {communities.length === 0 ? (
        <p>
          {t('noGrids')} {can('POST /v1/grids') ? <Link href="/grids">{t('createGrid')}</Link> : null}
        </p>
      ) : null}
      {communities.map(([community, grids]) => (
        <div class="table-wrap" key={community}>
          <table class="data-table" data-community={community}>
            <caption>{t('community', { name: community })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colGrid')}</th>
                {gridColumns.map((c) => (
                  <th scope="col" class="num" key={c.key}>
                    {t(c.label)}
                  </th>
                ))}
                <th scope="col" class="num">
                  {t('colDue')}
                </th>
              </tr>
            </thead>
            <tbody>
              {grids.map((g) => (
                <tr key={g.gridId} data-grid={g.gridId}>
                  <th scope="row">
                    {can('GET /v1/people') ? (
                      <Link href={hrefOf('/people', { gridId: g.gridId })}>{g.name}</Link>
                    ) : (
                      g.name
                    )}
                  </th>
                  {gridColumns.map((c) => (
                    <td class="num" key={c.key} data-stat={c.key}>
                      {f.number(g[c.key])}
                    </td>
                  ))}
                  <td class="num" data-stat="verificationDue">
                    {can('GET /v1/people/due') && g.verificationDue > 0 ? (
                      <Link href={hrefOf('/people/due', { gridId: g.gridId })}>
                        {f.number(g.verificationDue)}
                      </Link>
                    ) : (
                      f.number(g.verificationDue)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

const housingWorklists: { href: string; label: DashboardKey; requires: string }[] = [
  {
    href: '/houses/banned-occupied',
    label: 'bannedOccupiedList',
    requires: 'GET /v1/houses/banned-occupied',
  },
  { href: '/houses/lapsed-letters', label: 'lapsedLettersList', requires: 'GET /v1/houses/lapsed-letters' },
  { href: '/letters/expiring', label: 'expiringLettersList', requires: 'GET /v1/letters/expiring' },
];

type HousingFigure =
  | 'housesRegistered'
  | 'housesDiscovered'
  | 'housesBanned'
  | 'housesLet'
  | 'housesVacant'
  | 'housesOverOccupied'
  | 'housesWithoutValidSecurityLetter'
  | 'lettersValid'
  | 'registrationRate'
  | 'occupancyRate';
type HousingNumbers = Partial<Record<HousingFigure, unknown>>;

const housingCards: {
  key: HousingFigure;
  rate?: boolean;
  href?: string;
  requires?: string;
  warn?: boolean;
}[] = [
  { key: 'housesRegistered' },
  { key: 'housesDiscovered', href: '/houses?status=discovered', requires: 'GET /v1/houses' },
  { key: 'registrationRate', rate: true },
  { key: 'housesLet' },
  { key: 'housesVacant' },
  { key: 'occupancyRate', rate: true },
  { key: 'housesBanned', href: '/houses?status=banned', requires: 'GET /v1/houses', warn: true },
  { key: 'housesOverOccupied', warn: true },
  { key: 'housesWithoutValidSecurityLetter', warn: true },
  { key: 'lettersValid' },
];

const housingColumns: { key: HousingFigure; rate?: boolean }[] = [
  { key: 'housesRegistered' },
  { key: 'housesDiscovered' },
  { key: 'housesBanned' },
  { key: 'housesLet' },
  { key: 'housesVacant' },
  { key: 'housesOverOccupied' },
  { key: 'housesWithoutValidSecurityLetter' },
  { key: 'registrationRate', rate: true },
  { key: 'occupancyRate', rate: true },
];

/** A stack without the housing module sends none of these: the section is then left out. */
function hasHousing(n: HousingNumbers): boolean {
  return typeof n.housesRegistered === 'number';
}

function figure(value: unknown, rate: boolean | undefined, f: ReturnType<typeof useFormat>): string {
  if (typeof value !== 'number') return '—';
  return rate ? f.percent(value) : f.number(value);
}

/** The housing figures of GET /v1/stats (docs/housing.md, "Statistics"): totals, then per grid. */
function Housing({ stats }: { stats: Stats }) {
  const t = useT(dashboardMessages);
  const f = useFormat();
  const { can } = useSession();
  const totals = stats.totals as Counters & HousingNumbers;
  if (!hasHousing(totals)) return null;
  const grids = stats.grids.filter((g) => hasHousing(g as HousingNumbers));
  return (
    <section aria-labelledby="housing-title" class="housing-figures">
      <h2 id="housing-title">{t('housing')}</h2>
      <dl class="stat-cards">
        {housingCards.map(({ key, rate, href, requires, warn }) => (
          <div
            key={key}
            class={`stat-card${warn && (totals[key] as number) > 0 ? ' stat-card--due' : ''}`}
            data-stat={key}
          >
            <dt>{t(key)}</dt>
            <dd>
              <span class="stat-value">{figure(totals[key], rate, f)}</span>
              {href && requires && can(requires) && (totals[key] as number) > 0 ? (
                <Link class="stat-link" href={href}>
                  {t('openList')}
                </Link>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
      {grids.length > 0 ? (
        <div class="card">
          <div class="table-wrap">
            <table class="data-table" data-table="housing-by-grid">
              <caption>{t('housingByGrid')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('colGrid')}</th>
                  {housingColumns.map((c) => (
                    <th scope="col" class="num" key={c.key}>
                      {t(`col.${c.key}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {grids.map((g) => (
                  <tr key={g.gridId} data-housing-grid={g.gridId}>
                    <th scope="row">
                      {can('GET /v1/houses') ? (
                        <Link href={hrefOf('/houses', { gridId: g.gridId })}>{g.name}</Link>
                      ) : (
                        g.name
                      )}
                    </th>
                    {housingColumns.map((c) => (
                      <td class="num" key={c.key} data-stat={c.key}>
                        {figure((g as HousingNumbers)[c.key], c.rate, f)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </section>
  );
}

function Monthly({ months }: { months: MonthRow[] }) {
  const t = useT(dashboardMessages);
  const f = useFormat();
  const series = useMemo<ChartSeries[]>(
    () => [
      { key: 'registered', label: t('registered'), color: '#0b5cad' },
      { key: 'departed', label: t('departed'), color: '#b3261e', dash: [8, 4] },
      { key: 'closedStale', label: t('closedStale'), color: '#6b4e00', dash: [2, 3] },
      { key: 'verified', label: t('verified'), color: '#1b6e3a', dash: [12, 3, 2, 3] },
    ],
    [t],
  );
  const first = months[0]?.month;
  const last = months[months.length - 1]?.month;
  return (
    <>
      <MonthlyChart
        months={months}
        series={series}
        monthLabel={f.month}
        formatNumber={f.number}
        label={t('chartLabel', { from: first ? f.month(first) : '', to: last ? f.month(last) : '' })}
      />
      <details class="chart-table">
        <summary>{t('showTable')}</summary>
        <div class="table-wrap">
          <table class="data-table">
            <caption class="visually-hidden">{t('monthly')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('month')}</th>
                {series.map((s) => (
                  <th scope="col" class="num" key={s.key}>
                    {s.label}
                  </th>
                ))}
                <th scope="col" class="num">
                  {t('writeOffRate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{f.month(m.month)}</th>
                  {series.map((s) => (
                    <td class="num" key={s.key}>
                      {f.number(m[s.key])}
                    </td>
                  ))}
                  <td class="num">{m.writeOffRate === null ? '—' : f.percent(m.writeOffRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
