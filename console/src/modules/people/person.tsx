import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { Link } from '../../core/router';
import { useSession } from '../../core/session';
import type { HistoryEntry, Person } from '../../core/types';
import { Button } from '../../ui/form';
import { LoadError, Loading, Page, useAsync } from '../../ui/page';
import { gridLabel, useGrids } from '../grids/use-grids';
import { EditForm, VerifyForm, WriteOffForm } from './actions';
import { takeFlash } from './flash';
import { type PeopleKey, peopleMessages } from './messages';

type Panel = 'verify' | 'writeOff' | 'edit';

export function PersonPage({ personId }: { personId: string }) {
  const t = useT(peopleMessages);
  const session = useSession();
  const path = `/v1/people/${encodeURIComponent(personId)}`;
  const person = useAsync(() => api<Person>('GET', path), [path]);
  const mayReadHistory = session.can('GET /v1/people/{personId}/history');
  const history = useAsync(
    () =>
      mayReadHistory ? api<{ items: HistoryEntry[] }>('GET', `${path}/history`) : Promise.resolve(undefined),
    [path, mayReadHistory],
  );
  const [panel, setPanel] = useState<Panel>();
  const [notice, setNotice] = useState(takeFlash);

  if (!person.data) {
    return (
      <Page title={t('listTitle')}>
        {person.error ? <LoadError error={person.error} retry={person.reload} /> : <Loading />}
      </Page>
    );
  }
  const p = person.data;
  const active = p.status === 'active';
  const allowed: Record<Panel, boolean> = {
    verify: session.can('POST /v1/people/{personId}/verifications') && session.inScope(p.gridId),
    writeOff: session.can('POST /v1/people/{personId}/departure') && session.inScope(p.gridId),
    edit: session.can('PATCH /v1/people/{personId}') && session.inScope(p.gridId),
  };
  const actionProps = {
    person: p,
    onSaved(updated: Person) {
      person.setData(updated);
      history.reload();
      setPanel(undefined);
      setNotice(t('saved'));
    },
    async reload() {
      person.setData(await api<Person>('GET', path));
      history.reload();
    },
    onCancel: () => setPanel(undefined),
  };
  const labels: Record<Panel, PeopleKey> = { verify: 'verify', writeOff: 'writeOff', edit: 'edit' };
  const panels = (Object.keys(allowed) as Panel[]).filter((k) => allowed[k]);

  return (
    <Page title={t('personTitle', { name: p.name })}>
      {notice ? (
        <p class="alert alert--success" role="status">
          {notice}
        </p>
      ) : null}
      <Details person={p} />
      {panels.length > 0 ? (
        <section class="card" aria-labelledby="actions-title">
          <h2 id="actions-title">{t('actions')}</h2>
          {active ? (
            <div class="button-row">
              {panels.map((k) => (
                <Button
                  key={k}
                  kind={k === 'writeOff' ? 'danger' : 'secondary'}
                  aria-expanded={panel === k}
                  aria-controls={`panel-${k}`}
                  data-action={k}
                  onClick={() => {
                    setNotice(undefined);
                    setPanel(panel === k ? undefined : k);
                  }}
                >
                  {t(labels[k])}
                </Button>
              ))}
            </div>
          ) : (
            <p>{t('notActive', { status: t(`status.${p.status}`) })}</p>
          )}
          <div id={`panel-${panel ?? 'none'}`}>
            {panel === 'verify' ? <VerifyForm {...actionProps} /> : null}
            {panel === 'writeOff' ? <WriteOffForm {...actionProps} /> : null}
            {panel === 'edit' ? <EditForm {...actionProps} /> : null}
          </div>
        </section>
      ) : null}
      {mayReadHistory ? (
        <section class="card" aria-labelledby="history-title">
          <h2 id="history-title">{t('history')}</h2>
          {history.data ? (
            <Timeline items={history.data.items} />
          ) : history.error ? (
            <LoadError error={history.error} retry={history.reload} />
          ) : (
            <Loading />
          )}
        </section>
      ) : null}
    </Page>
  );
}

function Details({ person: p }: { person: Person }) {
  const t = useT(peopleMessages);
  const f = useFormat();
  const { byId } = useGrids();
  const masked = p.idNumber.includes('*');
  const rows: [PeopleKey, ComponentChildren][] = [
    ['cardNumber', p.cardNumber],
    ['idNumber', p.idNumber],
    ['sex', t(`sex.${p.sex}`)],
    ['birthDate', f.date(p.birthDate)],
    ['flow', t(`flow.${p.flow}`)],
    ['grid', gridLabel(byId.get(p.gridId), p.gridId)],
    ['address', p.address],
    ['house', p.houseId ? <Link href={`/houses/${p.houseId}`}>{t('openHouse')}</Link> : '—'],
    ['arrivedOn', f.date(p.arrivedOn)],
    ['lastVerifiedOn', f.date(p.lastVerifiedOn)],
    ['maritalStatus', t(`marital.${p.maritalStatus}`)],
    ['phone', p.phone ?? '—'],
    ['occupation', p.occupation ?? '—'],
    ['employer', p.employer ?? '—'],
    ['originRegion', p.originRegion ?? '—'],
    ['status', t(`status.${p.status}`)],
  ];
  if (p.status === 'departed') {
    rows.push(['departedOn', f.date(p.departedOn)]);
    rows.push(['departureReason', p.departureReason ? t(`reason.${p.departureReason}`) : '—']);
  }
  rows.push(
    ['createdAt', f.dateTime(p.createdAt)],
    ['updatedAt', f.dateTime(p.updatedAt)],
    ['version', f.number(p.version)],
  );
  return (
    <section class="card" aria-labelledby="details-title">
      <h2 id="details-title">{t('details')}</h2>
      {masked ? <p class="note">{t('maskedNote')}</p> : null}
      <dl class="details" data-person-status={p.status}>
        {rows.map(([key, value]) => (
          <div key={key} class="detail">
            <dt>{t(key)}</dt>
            <dd class={key === 'idNumber' || key === 'phone' ? 'mono' : undefined} data-field={key}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const fieldLabels: Record<string, PeopleKey> = {
  phone: 'field.phone',
  gridId: 'field.gridId',
  address: 'field.address',
  maritalStatus: 'field.maritalStatus',
  occupation: 'field.occupation',
  employer: 'field.employer',
  lastVerifiedOn: 'field.lastVerifiedOn',
  status: 'field.status',
  departedOn: 'field.departedOn',
  departureReason: 'field.departureReason',
};
const actionLabels: Record<string, PeopleKey> = {
  registered: 'action.registered',
  updated: 'action.updated',
  verified: 'action.verified',
  departed: 'action.departed',
  closed: 'action.closed',
};

function Timeline({ items }: { items: HistoryEntry[] }) {
  const t = useT(peopleMessages);
  const f = useFormat();
  if (items.length === 0) return <p>{t('noHistory')}</p>;
  return (
    <ol class="timeline">
      {items.map((entry, i) => {
        const action = actionLabels[entry.action];
        const changed = entry.changedFields.map((name) => (fieldLabels[name] ? t(fieldLabels[name]) : name));
        return (
          <li
            key={`${entry.at}-${i}`}
            class={`timeline-item timeline-item--${entry.action}`}
            data-action={entry.action}
          >
            <time dateTime={entry.at}>{f.dateTime(entry.at)}</time>
            <p class="timeline-what">
              <strong>{action ? t(action) : entry.action}</strong>
              {entry.outcome ? ` · ${t(`outcome.${entry.outcome}`)}` : ''}
              {entry.verifiedOn ? ` · ${f.date(entry.verifiedOn)}` : ''}
            </p>
            <p class="timeline-who">{t('historyBy', { actor: entry.actor.name })}</p>
            {changed.length > 0 ? (
              <p class="timeline-fields">
                {t('changedFields', { fields: new Intl.ListFormat(f.locale).format(changed) })}
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
