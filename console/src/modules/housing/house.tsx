import { useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { Link } from '../../core/router';
import { useSession } from '../../core/session';
import type { Page as ListPage, Person } from '../../core/types';
import { Button } from '../../ui/form';
import { LoadError, Loading, Pager, useAsync, usePager } from '../../ui/page';
import { addressPart, houseLabel, labelOf } from './format';
import {
  BanForm,
  CloseForm,
  EditHouseForm,
  type HouseAction,
  type HouseActionProps,
  houseActions,
  InspectForm,
  LiftForm,
  RegisterForm,
  ReopenForm,
} from './house-actions';
import { LetterForm, LettersTable } from './letters';
import { housingMessages } from './messages';
import {
  DetailList,
  Flash,
  forgetLabel,
  HouseStatusBadge,
  HousingPage,
  OccupancyText,
  OccupantsTable,
  Timeline,
  takeFlash,
  useGridName,
  useLabelRecord,
} from './shared';
import type { Contact, House, HousingEvent, Landlord, Letter } from './types';

const forms: Record<HouseAction, (props: HouseActionProps) => preact.JSX.Element> = {
  register: RegisterForm,
  inspect: InspectForm,
  ban: BanForm,
  lift: LiftForm,
  close: CloseForm,
  reopen: ReopenForm,
  edit: EditHouseForm,
};

/** One house: details, the actions its status and the key's role allow, occupants, letters, history. */
export function HousePage({ houseId }: { houseId: string }) {
  const t = useT(housingMessages);
  const session = useSession();
  const path = `/v1/houses/${encodeURIComponent(houseId)}`;
  const house = useAsync(() => api<House>('GET', path), [path]);
  const mayReadHistory = session.can('GET /v1/houses/{houseId}/history');
  const history = useAsync(
    () =>
      mayReadHistory ? api<{ items: HousingEvent[] }>('GET', `${path}/history`) : Promise.resolve(undefined),
    [path, mayReadHistory],
  );
  const [panel, setPanel] = useState<HouseAction>();
  const [notice, setNotice] = useState(takeFlash);

  if (!house.data) {
    return (
      <HousingPage title={t('housesTitle')}>
        {house.error ? <LoadError error={house.error} retry={house.reload} /> : <Loading />}
      </HousingPage>
    );
  }
  const h = house.data;
  const inScope = session.inScope(h.gridId);
  const available = houseActions.filter((a) => session.can(a.operation) && inScope);
  const now = available.filter((a) => a.on.includes(h.status));
  const actionProps: HouseActionProps = {
    house: h,
    onSaved(updated) {
      house.setData(updated);
      forgetLabel(path);
      history.reload();
      setPanel(undefined);
      setNotice(t('saved'));
    },
    async reload() {
      house.setData(await api<House>('GET', path));
      history.reload();
    },
    onCancel: () => setPanel(undefined),
  };
  const Form = panel ? forms[panel] : undefined;

  return (
    <HousingPage title={houseLabel(t, h, h.houseId)} actions={<HouseStatusBadge status={h.status} />}>
      <Flash message={notice} />
      <StatusNotices house={h} />
      <Details house={h} />
      {available.length > 0 ? (
        <section class="card" aria-labelledby="actions-title">
          <h2 id="actions-title">{t('actions')}</h2>
          <div class="button-row">
            {now.map((a) => (
              <Button
                key={a.action}
                kind={a.danger ? 'danger' : 'secondary'}
                aria-expanded={panel === a.action}
                aria-controls={`panel-${a.action}`}
                data-action={a.action}
                onClick={() => {
                  setNotice(undefined);
                  setPanel(panel === a.action ? undefined : a.action);
                }}
              >
                {t(`action.${a.action}`)}
              </Button>
            ))}
          </div>
          <div id={`panel-${panel ?? 'none'}`}>{Form ? <Form key={panel} {...actionProps} /> : null}</div>
        </section>
      ) : null}
      <OccupantsAndLetters house={h} onLetterSaved={() => setNotice(t('letterSaved'))} />
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
    </HousingPage>
  );
}

function StatusNotices({ house: h }: { house: House }) {
  const t = useT(housingMessages);
  const f = useFormat();
  return (
    <>
      {h.status === 'banned' && h.ban ? (
        <div class="alert alert--error" data-notice="banned">
          <p>
            {t('bannedNotice', {
              date: f.date(h.ban.bannedOn ?? h.bannedOn),
              reason: h.ban.reason,
              basis: h.ban.basis,
            })}
          </p>
        </div>
      ) : null}
      {h.status === 'closed' && h.closure ? (
        <div class="alert alert--info" data-notice="closed">
          <p>
            {t('closedNotice', {
              date: f.date(h.closure.closedOn ?? h.closedOn),
              reason: labelOf(t, 'closure', h.closure.reason),
            })}
          </p>
        </div>
      ) : null}
      {h.overOccupied && typeof h.maxOccupants === 'number' ? (
        <div class="alert alert--warning" data-notice="over-occupied">
          <p>{t('overOccupied', { n: h.occupants ?? 0, max: h.maxOccupants })}</p>
        </div>
      ) : null}
      {h.securityLetterLapsedOn ? (
        <div class="alert alert--warning" data-notice="letter-lapsed">
          <p>{t('lapsedWarning', { date: f.date(h.securityLetterLapsedOn) })}</p>
        </div>
      ) : null}
    </>
  );
}

function contact(c: Contact | null | undefined): string {
  if (!c?.name) return '—';
  return c.phone ? `${c.name} · ${c.phone}` : c.name;
}

function Details({ house: h }: { house: House }) {
  const t = useT(housingMessages);
  const f = useFormat();
  const grid = useGridName(h.gridId);
  const landlord = useLabelRecord<Landlord>(
    h.landlordId ? `/v1/landlords/${encodeURIComponent(h.landlordId)}` : undefined,
  );
  const a = h.address ?? { estate: '' };
  const rows: { field: string; label: string; value: preact.ComponentChildren; mono?: boolean }[] = [
    { field: 'plaque', label: t('plaque'), value: h.plaque, mono: true },
    { field: 'grid', label: t('grid'), value: grid },
    { field: 'estate', label: t('addr.estate'), value: a.estate || '—' },
    ...(['building', 'unit', 'floor', 'room', 'door'] as const).map((p) => ({
      field: p,
      label: t(`addr.${p}`),
      value: a[p] ? addressPart(t, p, a[p] as string) : '—',
    })),
    { field: 'standardAddressCode', label: t('standardAddressCode'), value: h.standardAddressCode || '—' },
    {
      field: 'location',
      label: t('location'),
      value: h.location ? `${f.number(h.location.latitude)}, ${f.number(h.location.longitude)}` : '—',
    },
    { field: 'houseType', label: t('houseType'), value: labelOf(t, 'type', h.houseType) },
    { field: 'use', label: t('use'), value: labelOf(t, 'use', h.use) },
    { field: 'lettingMode', label: t('lettingMode'), value: labelOf(t, 'letting', h.lettingMode) },
    { field: 'managementClass', label: t('managementClass'), value: labelOf(t, 'class', h.managementClass) },
    { field: 'area', label: t('area'), value: typeof h.area === 'number' ? f.number(h.area) : '—' },
    {
      field: 'roomsLet',
      label: t('roomsLet'),
      value: typeof h.roomsLet === 'number' ? f.number(h.roomsLet) : '—',
    },
    {
      field: 'monthlyRent',
      label: t('monthlyRent'),
      value: typeof h.monthlyRent === 'number' ? f.number(h.monthlyRent) : '—',
    },
    {
      field: 'maxOccupants',
      label: t('maxOccupants'),
      value: typeof h.maxOccupants === 'number' ? f.number(h.maxOccupants) : '—',
    },
    { field: 'occupants', label: t('occupants'), value: <OccupancyText house={h} /> },
    {
      field: 'landlord',
      label: t('landlord'),
      value: h.landlordId ? (
        <Link href={`/landlords/${h.landlordId}`}>{landlord?.name ?? h.landlordId}</Link>
      ) : (
        t('noLandlord')
      ),
    },
    { field: 'caretaker', label: t('caretaker'), value: contact(h.caretaker) },
    { field: 'securityResponsible', label: t('securityResponsible'), value: contact(h.securityResponsible) },
    { field: 'discoveredOn', label: t('discoveredOn'), value: f.date(h.discoveredOn) },
    { field: 'registeredOn', label: t('registeredOn'), value: f.date(h.registeredOn) },
    { field: 'lastInspectedOn', label: t('lastInspectedOn'), value: f.date(h.lastInspectedOn) },
    ...(h.lastInspection
      ? [
          {
            field: 'lastInspection',
            label: t('lastInspection'),
            value: h.lastInspection.hazard
              ? `${h.lastInspection.findings} (⚠ ${t('hazardFound')})`
              : h.lastInspection.findings,
          },
        ]
      : []),
    { field: 'inspectionDueOn', label: t('inspectionDueOn'), value: f.date(h.inspectionDueOn) },
    { field: 'createdAt', label: t('createdAt'), value: f.dateTime(h.createdAt) },
    { field: 'updatedAt', label: t('updatedAt'), value: f.dateTime(h.updatedAt) },
    { field: 'version', label: t('version'), value: f.number(h.version) },
  ];
  const masked = [h.caretaker?.phone, h.securityResponsible?.phone].some((p) => p?.includes('*'));
  return (
    <section class="card" aria-labelledby="details-title">
      <h2 id="details-title">{t('details')}</h2>
      {masked ? <p class="note">{t('maskedNote')}</p> : null}
      <DetailList rows={rows} status={h.status} />
    </section>
  );
}

const occupantsPageSize = 50;

function OccupantsAndLetters({ house: h, onLetterSaved }: { house: House; onLetterSaved: () => void }) {
  const t = useT(housingMessages);
  const session = useSession();
  const mayListPeople = session.can('GET /v1/people');
  const mayListLetters = session.can('GET /v1/letters');
  const mayAddLetter = session.can('POST /v1/letters') && session.inScope(h.gridId);
  const pager = usePager(h.houseId);
  const occupants = useAsync(
    () =>
      mayListPeople
        ? api<ListPage<Person>>('GET', '/v1/people', {
            query: { houseId: h.houseId, limit: occupantsPageSize, cursor: pager.cursor },
          })
        : Promise.resolve(undefined),
    [h.houseId, mayListPeople, pager.cursor],
  );
  const letters = useAsync(
    () =>
      mayListLetters
        ? api<ListPage<Letter>>('GET', '/v1/letters', { query: { houseId: h.houseId, limit: 100 } })
        : Promise.resolve(undefined),
    [h.houseId, mayListLetters],
  );
  const [adding, setAdding] = useState(false);
  return (
    <>
      {mayListPeople ? (
        <section class="card" aria-labelledby="occupants-title">
          <h2 id="occupants-title">{t('occupantsTitle')}</h2>
          {occupants.data ? (
            occupants.data.items.length === 0 ? (
              <p>{t('noOccupants')}</p>
            ) : (
              <OccupantsTable people={occupants.data.items} caption={t('occupantsTable')} />
            )
          ) : occupants.error ? (
            <LoadError error={occupants.error} retry={occupants.reload} />
          ) : (
            <Loading />
          )}
          <Pager
            page={pager.page}
            nextCursor={occupants.data?.nextCursor}
            onNext={pager.next}
            onPrevious={pager.previous}
          />
        </section>
      ) : null}
      {mayListLetters ? (
        <section class="card" aria-labelledby="letters-title" id="letters">
          <h2 id="letters-title">{t('lettersTitle')}</h2>
          {letters.data ? (
            letters.data.items.length === 0 ? (
              <p>{t('noLetters')}</p>
            ) : (
              <LettersTable letters={letters.data.items} caption={t('lettersTable')} />
            )
          ) : letters.error ? (
            <LoadError error={letters.error} retry={letters.reload} />
          ) : (
            <Loading />
          )}
          {mayAddLetter && (h.status === 'registered' || h.status === 'discovered') ? (
            adding ? (
              <LetterForm
                house={h}
                occupants={occupants.data?.items ?? []}
                onSaved={() => {
                  setAdding(false);
                  letters.reload();
                  onLetterSaved();
                }}
                onCancel={() => setAdding(false)}
              />
            ) : (
              <Button kind="secondary" data-action="letter" onClick={() => setAdding(true)}>
                {t('newLetter')}
              </Button>
            )
          ) : null}
        </section>
      ) : null}
    </>
  );
}
