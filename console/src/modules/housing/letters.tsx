import { useState } from 'preact/hooks';
import { addDays, addYears, daysBetween, todayIn } from '../../../../shared/platform/dates';
import { api, idempotencyKeys } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { hrefOf, Link, navigate } from '../../core/router';
import { useSession } from '../../core/session';
import type { Page as ListPage, Person } from '../../core/types';
import { Button, FormAlert, fieldError, RadioGroup, SelectField, TextField } from '../../ui/form';
import { LoadError, Loading, Pager, useAsync, usePager } from '../../ui/page';
import { houseLabel, labelOf } from './format';
import { LandlordPicker } from './landlord-picker';
import { housingMessages } from './messages';
import {
  ActionForm,
  ConflictNotice,
  DetailList,
  Flash,
  FormButtons,
  HousingPage,
  LetterStatusBadge,
  Timeline,
  takeFlash,
  useLabelRecord,
  useVersionedSubmit,
} from './shared';
import {
  type House,
  type HousingEvent,
  type Landlord,
  type Letter,
  type LetterParty,
  letterKinds,
  letterStatuses,
} from './types';
import { GridFilter } from './worklists';

const pageSize = 20;

function useToday(): string {
  const { me } = useSession();
  return todayIn(me?.settings.timeZone ?? 'Asia/Shanghai');
}

/** The fixed kinds and the township's own (tenant setting `extraLetterKinds`, when the API sends it). */
function useLetterKinds(): string[] {
  const { me } = useSession();
  const extra = (me?.settings as { extraLetterKinds?: unknown } | undefined)?.extraLetterKinds;
  return [...letterKinds, ...(Array.isArray(extra) ? extra.filter((k) => typeof k === 'string') : [])];
}

export function HouseName({ houseId }: { houseId: string }) {
  const t = useT(housingMessages);
  const house = useLabelRecord<House>(`/v1/houses/${encodeURIComponent(houseId)}`);
  return <Link href={`/houses/${houseId}`}>{houseLabel(t, house, houseId)}</Link>;
}

export function PartyName({ party }: { party: LetterParty | undefined }) {
  const t = useT(housingMessages);
  const landlord = useLabelRecord<Landlord>(
    party?.kind === 'landlord' ? `/v1/landlords/${encodeURIComponent(party.landlordId)}` : undefined,
  );
  const person = useLabelRecord<Person>(
    party?.kind === 'person' ? `/v1/people/${encodeURIComponent(party.personId)}` : undefined,
  );
  if (!party) return <>—</>;
  const kind = labelOf(t, 'partyKind', party.kind);
  const prefix = t('labelValue', { label: kind, value: '' });
  if (party.kind === 'landlord')
    return (
      <>
        {prefix}
        <Link href={`/landlords/${party.landlordId}`}>{landlord?.name ?? party.landlordId}</Link>
      </>
    );
  return (
    <>
      {prefix}
      <Link href={`/people/${party.personId}`}>{person?.name ?? party.personId}</Link>
    </>
  );
}

/** Letters as a table; `withHouse` adds the house column (lists), `daysLeft` the worklist's countdown. */
export function LettersTable({
  letters,
  caption,
  withHouse,
  daysLeft,
}: {
  letters: Letter[];
  caption: string;
  withHouse?: boolean;
  daysLeft?: boolean;
}) {
  const t = useT(housingMessages);
  const f = useFormat();
  const today = useToday();
  return (
    <div class="table-wrap">
      <table class="data-table" data-table="letters">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.kind')}</th>
            {withHouse ? <th scope="col">{t('col.house')}</th> : null}
            <th scope="col">{t('col.party')}</th>
            <th scope="col">{t('col.validity')}</th>
            {daysLeft ? (
              <th scope="col" class="num">
                {t('col.daysLeft')}
              </th>
            ) : null}
            <th scope="col">{t('col.status')}</th>
            <th scope="col">{t('col.signedOn')}</th>
            <th scope="col">{t('col.signedBy')}</th>
          </tr>
        </thead>
        <tbody>
          {letters.map((l) => (
            <tr key={l.letterId} data-letter={l.letterId}>
              <th scope="row">
                <Link href={`/letters/${l.letterId}`}>{labelOf(t, 'letterKind', l.kind)}</Link>
              </th>
              {withHouse ? (
                <td>
                  <HouseName houseId={l.houseId} />
                </td>
              ) : null}
              <td>
                <PartyName party={l.party} />
              </td>
              <td>{t('validRange', { from: f.date(l.validFrom), until: f.date(l.validUntil) })}</td>
              {daysLeft ? (
                <td class="num">{f.number(Math.max(0, daysBetween(today, l.validUntil)))}</td>
              ) : null}
              <td>
                <LetterStatusBadge status={l.status} />
              </td>
              <td>{f.date(l.signedOn)}</td>
              <td>{l.signedBy ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** GET /v1/letters by kind, status and end of validity, paged. */
export function LettersListPage({ query }: { query: URLSearchParams }) {
  const t = useT(housingMessages);
  const kinds = useLetterKinds();
  const filters = {
    kind: query.get('kind') ?? '',
    status: query.get('status') ?? '',
    expiringBefore: query.get('expiringBefore') ?? '',
    houseId: query.get('houseId') ?? '',
  };
  const [draft, setDraft] = useState(filters);
  const pager = usePager(JSON.stringify(filters));
  const list = useAsync(
    () =>
      api<ListPage<Letter>>('GET', '/v1/letters', {
        query: { ...filters, limit: pageSize, cursor: pager.cursor },
      }),
    [filters.kind, filters.status, filters.expiringBefore, filters.houseId, pager.cursor],
  );
  return (
    <HousingPage title={t('lettersListTitle')}>
      <form
        class="filters"
        aria-label={t('lettersListTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          navigate(hrefOf('/letters', draft), { replace: true });
        }}
      >
        <SelectField
          id="filter-kind"
          label={t('letterKind')}
          value={draft.kind}
          onValue={(v) => setDraft((d) => ({ ...d, kind: v }))}
          placeholder={t('allKinds')}
          options={kinds.map((k) => ({ value: k, label: labelOf(t, 'letterKind', k) }))}
        />
        <SelectField
          id="filter-status"
          label={t('status')}
          value={draft.status}
          onValue={(v) => setDraft((d) => ({ ...d, status: v }))}
          placeholder={t('allStatuses')}
          options={letterStatuses.map((s) => ({ value: s, label: t(`letterStatus.${s}`) }))}
        />
        <TextField
          id="filter-expiringBefore"
          type="date"
          label={t('expiringBefore')}
          value={draft.expiringBefore}
          onValue={(v) => setDraft((d) => ({ ...d, expiringBefore: v }))}
        />
        <Button type="submit" kind="secondary">
          {t('applyFilters')}
        </Button>
      </form>
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('noLettersMatch')}</p>
        ) : (
          <LettersTable letters={list.data.items} caption={t('lettersListTable')} withHouse />
        )
      ) : list.loading ? (
        <Loading />
      ) : null}
      <Pager
        page={pager.page}
        nextCursor={list.data?.nextCursor}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </HousingPage>
  );
}

/** GET /v1/letters/expiring: the letters the daily job flagged, soonest first. */
export function ExpiringLettersPage({ query }: { query: URLSearchParams }) {
  const t = useT(housingMessages);
  const { me } = useSession();
  const gridId = query.get('gridId') ?? '';
  const pager = usePager(gridId);
  const list = useAsync(
    () =>
      api<ListPage<Letter>>('GET', '/v1/letters/expiring', {
        query: { gridId, limit: pageSize, cursor: pager.cursor },
      }),
    [gridId, pager.cursor],
  );
  const days = (me?.settings as { letterExpiryWarningDays?: unknown } | undefined)?.letterExpiryWarningDays;
  return (
    <HousingPage title={t('expiringTitle')}>
      <p>{typeof days === 'number' ? t('expiringIntro', { days }) : t('expiringIntroGeneric')}</p>
      <GridFilter path="/letters/expiring" gridId={gridId} label={t('expiringTitle')} />
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('noneExpiring')}</p>
        ) : (
          <LettersTable letters={list.data.items} caption={t('expiringTitle')} withHouse daysLeft />
        )
      ) : list.loading ? (
        <Loading />
      ) : null}
      <Pager
        page={pager.page}
        nextCursor={list.data?.nextCursor}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </HousingPage>
  );
}

/** One letter: details, revocation (If-Match) for the roles that may, history. */
export function LetterPage({ letterId }: { letterId: string }) {
  const t = useT(housingMessages);
  const f = useFormat();
  const session = useSession();
  const path = `/v1/letters/${encodeURIComponent(letterId)}`;
  const letter = useAsync(() => api<Letter>('GET', path), [path]);
  const mayReadHistory = session.can('GET /v1/letters/{letterId}/history');
  const history = useAsync(
    () =>
      mayReadHistory ? api<{ items: HousingEvent[] }>('GET', `${path}/history`) : Promise.resolve(undefined),
    [path, mayReadHistory],
  );
  const house = useLabelRecord<House>(
    letter.data ? `/v1/houses/${encodeURIComponent(letter.data.houseId)}` : undefined,
  );
  const [revoking, setRevoking] = useState(false);
  const [notice, setNotice] = useState(takeFlash);
  if (!letter.data) {
    return (
      <HousingPage title={t('lettersListTitle')}>
        {letter.error ? <LoadError error={letter.error} retry={letter.reload} /> : <Loading />}
      </HousingPage>
    );
  }
  const l = letter.data;
  const mayRevoke =
    session.can('POST /v1/letters/{letterId}/revocation') && (!l.gridId || session.inScope(l.gridId));
  const revocationReason = l.revocationReason;
  return (
    <HousingPage
      title={t('letterTitle', {
        kind: labelOf(t, 'letterKind', l.kind),
        house: houseLabel(t, house, l.houseId),
      })}
    >
      <Flash message={notice} />
      {l.status === 'revoked' && revocationReason ? (
        <p class="alert alert--warning">{t('revokedNotice', { reason: revocationReason })}</p>
      ) : null}
      <section class="card" aria-labelledby="details-title">
        <h2 id="details-title">{t('details')}</h2>
        <DetailList
          status={l.status}
          rows={[
            { field: 'kind', label: t('letterKind'), value: labelOf(t, 'letterKind', l.kind) },
            { field: 'status', label: t('status'), value: <LetterStatusBadge status={l.status} /> },
            { field: 'house', label: t('house'), value: <HouseName houseId={l.houseId} /> },
            { field: 'party', label: t('party'), value: <PartyName party={l.party} /> },
            { field: 'signedOn', label: t('signedOn'), value: f.date(l.signedOn) },
            { field: 'validFrom', label: t('validFrom'), value: f.date(l.validFrom) },
            { field: 'validUntil', label: t('validUntil'), value: f.date(l.validUntil) },
            { field: 'signedBy', label: t('signedBy'), value: l.signedBy ?? '—' },
            ...(l.revokedOn
              ? [{ field: 'revokedOn', label: t('revokedOn'), value: f.date(l.revokedOn) }]
              : []),
            ...(l.expiringFlaggedOn
              ? [
                  {
                    field: 'expiringFlaggedOn',
                    label: t('expiringFlaggedOn'),
                    value: f.date(l.expiringFlaggedOn),
                  },
                ]
              : []),
            { field: 'createdAt', label: t('createdAt'), value: f.dateTime(l.createdAt) },
            { field: 'version', label: t('version'), value: f.number(l.version) },
          ]}
        />
      </section>
      {mayRevoke ? (
        <section class="card" aria-labelledby="actions-title">
          <h2 id="actions-title">{t('actions')}</h2>
          {l.status === 'valid' ? (
            <div class="button-row">
              <Button
                kind="danger"
                data-action="revoke"
                aria-expanded={revoking}
                aria-controls="panel-revoke"
                onClick={() => {
                  setNotice(undefined);
                  setRevoking(!revoking);
                }}
              >
                {t('revoke')}
              </Button>
            </div>
          ) : (
            <p>{t('letterNotValid', { status: labelOf(t, 'letterStatus', l.status) })}</p>
          )}
          <div id="panel-revoke">
            {revoking ? (
              <RevokeForm
                letter={l}
                onSaved={(updated) => {
                  letter.setData(updated);
                  history.reload();
                  setRevoking(false);
                  setNotice(t('saved'));
                }}
                reload={async () => {
                  letter.setData(await api<Letter>('GET', path));
                  history.reload();
                }}
                onCancel={() => setRevoking(false)}
              />
            ) : null}
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
    </HousingPage>
  );
}

function RevokeForm(props: {
  letter: Letter;
  onSaved(letter: Letter): void;
  reload(): Promise<void>;
  onCancel(): void;
}) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const [reason, setReason] = useState('');
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [keyFor] = useState(idempotencyKeys);
  const s = useVersionedSubmit<Letter>(props);
  const stillValid = props.letter.status === 'valid';
  return (
    <ActionForm
      id="revoke"
      title={t('revokeTitle')}
      onSubmit={() => {
        const errors = { reason: reason.trim() ? undefined : tc('required') };
        setOwn(errors);
        if (errors.reason) return;
        const body = { reason: reason.trim() };
        const { letterId, version } = props.letter;
        void s.submit(() =>
          api<Letter>('POST', `/v1/letters/${encodeURIComponent(letterId)}/revocation`, {
            ifMatch: version,
            idempotencyKey: keyFor({ body, version }),
            body,
          }),
        );
      }}
    >
      <p class="note">{t('revokeHelp')}</p>
      <ConflictNotice
        conflict={s.conflict}
        onReload={s.reload}
        busy={s.busy}
        afterReload={
          stillValid
            ? undefined
            : t('letterNotValid', { status: labelOf(t, 'letterStatus', props.letter.status) })
        }
      />
      <FormAlert error={s.error} fields={['reason']} />
      <TextField
        id="revoke-reason"
        label={t('revokeReason')}
        value={reason}
        onValue={setReason}
        error={fieldError('reason', own, s.error)}
        required
      />
      <FormButtons
        busy={s.busy}
        label={t('revoke')}
        onCancel={props.onCancel}
        danger
        disabled={!stillValid}
      />
    </ActionForm>
  );
}

const letterFields = [
  'kind',
  'party',
  'party.kind',
  'party.landlordId',
  'party.personId',
  'signedOn',
  'validFrom',
  'validUntil',
  'houseId',
];

/** POST /v1/letters for a house: kind, party (its landlord or an occupant), dates. */
export function LetterForm({
  house,
  occupants,
  onSaved,
  onCancel,
}: {
  house: House;
  occupants: Person[];
  onSaved(letter: Letter): void;
  onCancel(): void;
}) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const today = useToday();
  const kinds = useLetterKinds();
  const [v, setV] = useState(() => ({
    kind: 'security-responsibility',
    partyKind: 'landlord' as 'landlord' | 'person',
    landlordId: house.landlordId ?? '',
    personId: '',
    signedOn: today,
    validFrom: today,
    validUntil: addDays(addYears(today, 1), -1),
  }));
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [keyFor] = useState(idempotencyKeys);
  const set = (name: keyof typeof v) => (value: string) => {
    setV((x) => ({ ...x, [name]: value }));
    setOwn((e) => ({ ...e, [name]: undefined }));
  };
  const err = (field: string, ...aliases: string[]) =>
    fieldError(field, own, error) ?? aliases.map((a) => fieldError(a, {}, error)).find(Boolean);
  return (
    <ActionForm
      id="letter"
      title={t('letterFormTitle')}
      onSubmit={async () => {
        setError(undefined);
        const errors: Partial<Record<string, string>> = {};
        if (!v.kind) errors.kind = tc('required');
        if (v.partyKind === 'landlord' && !v.landlordId) errors['party.landlordId'] = tc('required');
        if (v.partyKind === 'person' && !v.personId) errors['party.personId'] = tc('required');
        for (const d of ['signedOn', 'validFrom', 'validUntil'] as const)
          if (!v[d]) errors[d] = tc('required');
        if (v.signedOn && v.signedOn > today) errors.signedOn = t('notInFuture');
        if (v.validFrom && v.validUntil && v.validUntil < v.validFrom)
          errors.validUntil = t('untilAfterFrom');
        setOwn(errors);
        if (Object.values(errors).some(Boolean)) return;
        const party: LetterParty =
          v.partyKind === 'landlord'
            ? { kind: 'landlord', landlordId: v.landlordId }
            : { kind: 'person', personId: v.personId };
        const body = {
          houseId: house.houseId,
          kind: v.kind,
          party,
          signedOn: v.signedOn,
          validFrom: v.validFrom,
          validUntil: v.validUntil,
        };
        setBusy(true);
        try {
          const letter = await api<Letter>('POST', '/v1/letters', { idempotencyKey: keyFor(body), body });
          setBusy(false);
          onSaved(letter);
        } catch (e) {
          setError(e);
          setBusy(false);
        }
      }}
    >
      <FormAlert error={error} fields={letterFields} />
      <SelectField
        id="letter-kind"
        label={t('letterKind')}
        value={v.kind}
        onValue={set('kind')}
        options={kinds.map((k) => ({ value: k, label: labelOf(t, 'letterKind', k) }))}
        error={err('kind')}
        required
      />
      <RadioGroup
        name="letter-partyKind"
        legend={t('party')}
        value={v.partyKind}
        onValue={set('partyKind')}
        options={(['landlord', 'person'] as const).map((k) => ({ value: k, label: t(`partyKind.${k}`) }))}
        error={err('party.kind', 'party')}
        required
      />
      {v.partyKind === 'landlord' ? (
        <LandlordPicker
          id="letter-landlordId"
          value={v.landlordId}
          onValue={set('landlordId')}
          placeholder={t('landlordChoose')}
          error={err('party.landlordId')}
          required
        />
      ) : (
        <SelectField
          id="letter-personId"
          label={t('partyKind.person')}
          value={v.personId}
          onValue={set('personId')}
          placeholder={t('choosePerson')}
          options={occupants.map((p) => ({ value: p.personId, label: p.name }))}
          error={err('party.personId')}
          hint={occupants.length === 0 ? t('noOccupantToChoose') : undefined}
          required
        />
      )}
      <TextField
        id="letter-signedOn"
        type="date"
        label={t('signedOn')}
        value={v.signedOn}
        onValue={set('signedOn')}
        max={today}
        error={err('signedOn')}
        required
      />
      <div class="field-pair">
        <TextField
          id="letter-validFrom"
          type="date"
          label={t('validFrom')}
          value={v.validFrom}
          onValue={set('validFrom')}
          error={err('validFrom')}
          required
        />
        <TextField
          id="letter-validUntil"
          type="date"
          label={t('validUntil')}
          value={v.validUntil}
          onValue={set('validUntil')}
          error={err('validUntil')}
          required
        />
      </div>
      <FormButtons busy={busy} label={t('saveLetter')} onCancel={onCancel} />
    </ActionForm>
  );
}
