/** Pieces every housing page uses: the frame with its section navigation, tables, badges, the timeline. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../../core/api';
import { useFormat, useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { Link, useLocation } from '../../core/router';
import { useSession } from '../../core/session';
import type { Person } from '../../core/types';
import { Button, ServerMessage } from '../../ui/form';
import { uiMessages } from '../../ui/messages';
import { Page } from '../../ui/page';
import { gridLabel, useGrids } from '../grids/use-grids';
import { formatAddress, labelOf } from './format';
import { type HousingKey, housingMessages } from './messages';
import type { House, HousingEvent } from './types';

const sections: { href: string; label: HousingKey; requires: string }[] = [
  { href: '/houses', label: 'nav.houses', requires: 'GET /v1/houses' },
  { href: '/houses/buildings', label: 'nav.buildings', requires: 'GET /v1/houses' },
  { href: '/landlords', label: 'nav.landlords', requires: 'GET /v1/landlords' },
  { href: '/letters', label: 'nav.letters', requires: 'GET /v1/letters' },
  { href: '/letters/expiring', label: 'nav.expiring', requires: 'GET /v1/letters/expiring' },
  { href: '/houses/banned-occupied', label: 'nav.banned', requires: 'GET /v1/houses/banned-occupied' },
  { href: '/houses/lapsed-letters', label: 'nav.lapsed', requires: 'GET /v1/houses/lapsed-letters' },
];

/** The housing section's own navigation: each entry only for keys whose role may call its operation. */
export function HousingNav() {
  const t = useT(housingMessages);
  const { can } = useSession();
  const { path } = useLocation();
  return (
    <nav class="subnav" aria-label={t('sectionNav')}>
      <ul>
        {sections
          .filter((s) => can(s.requires))
          .map((s) => (
            <li key={s.href}>
              <Link href={s.href} aria-current={path === s.href ? 'page' : undefined}>
                {t(s.label)}
              </Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}

/** A housing page: the page frame with the section navigation under its heading. */
export function HousingPage({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <Page title={title} actions={actions}>
      <HousingNav />
      {children}
    </Page>
  );
}

export function HouseStatusBadge({ status }: { status: string }) {
  const t = useT(housingMessages);
  return (
    <span class={`badge badge--house-${status}`} data-house-status={status}>
      {labelOf(t, 'status', status)}
    </span>
  );
}

export function LetterStatusBadge({ status }: { status: string }) {
  const t = useT(housingMessages);
  return (
    <span class={`badge badge--letter-${status}`} data-letter-status={status}>
      {labelOf(t, 'letterStatus', status)}
    </span>
  );
}

/** "3", "3 of at most 4", with a warning mark when over-occupied. */
export function OccupancyText({ house }: { house: House }) {
  const t = useT(housingMessages);
  const f = useFormat();
  const n = house.occupants ?? 0;
  const text =
    typeof house.maxOccupants === 'number'
      ? t('occupantsOfMax', { n, max: house.maxOccupants })
      : f.number(n);
  return house.overOccupied ? <strong class="over-occupied">⚠ {text}</strong> : text;
}

/** Houses as a table (list pages, a landlord's houses, the worklists via `extra`). */
export function HousesTable({
  houses,
  caption,
  extra = [],
}: {
  houses: House[];
  caption: string;
  extra?: { header: string; cell: (house: House) => ComponentChildren; numeric?: boolean }[];
}) {
  const t = useT(housingMessages);
  const f = useFormat();
  const { byId } = useGrids();
  return (
    <div class="table-wrap">
      <table class="data-table" data-table="houses">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.address')}</th>
            <th scope="col">{t('col.plaque')}</th>
            <th scope="col">{t('col.grid')}</th>
            <th scope="col">{t('col.type')}</th>
            <th scope="col">{t('col.letting')}</th>
            <th scope="col">{t('col.status')}</th>
            <th scope="col" class="num">
              {t('col.occupants')}
            </th>
            <th scope="col">{t('col.inspectionDue')}</th>
            {extra.map((x) => (
              <th scope="col" class={x.numeric ? 'num' : undefined} key={x.header}>
                {x.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {houses.map((h) => (
            <tr key={h.houseId} data-house={h.houseId} class={h.overOccupied ? 'row--warn' : undefined}>
              <th scope="row">
                <Link href={`/houses/${h.houseId}`}>{formatAddress(t, h.address)}</Link>
              </th>
              <td class="mono">{h.plaque}</td>
              <td>{gridLabel(byId.get(h.gridId), h.gridId)}</td>
              <td class="nowrap">{labelOf(t, 'type', h.houseType)}</td>
              <td class="nowrap">{labelOf(t, 'letting', h.lettingMode)}</td>
              <td>
                <HouseStatusBadge status={h.status} />
              </td>
              <td class="num nowrap">
                <OccupancyText house={h} />
              </td>
              <td class="nowrap">{f.date(h.inspectionDueOn)}</td>
              {extra.map((x) => (
                <td class={x.numeric ? 'num' : undefined} key={x.header}>
                  {x.cell(h)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** People living in a house, with a link to the person's page where they are moved or written off. */
export function OccupantsTable({ people, caption }: { people: Person[]; caption: string }) {
  const t = useT(housingMessages);
  const f = useFormat();
  const { can } = useSession();
  const mayAct =
    can('POST /v1/people/{personId}/verifications') || can('POST /v1/people/{personId}/departure');
  return (
    <div class="table-wrap">
      <table class="data-table" data-table="occupants">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.name')}</th>
            {mayAct ? <th scope="col">{t('col.actions')}</th> : null}
            <th scope="col">{t('col.phone')}</th>
            <th scope="col">{t('col.idNumber')}</th>
            <th scope="col">{t('col.arrivedOn')}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.personId} data-person={p.personId}>
              <th scope="row">
                <Link href={`/people/${p.personId}`}>{p.name}</Link>
              </th>
              {mayAct ? (
                <td>
                  <Link
                    href={`/people/${p.personId}`}
                    aria-label={t('moveOrWriteOffLabel', { name: p.name })}
                    class="move-link"
                  >
                    {t('moveOrWriteOff')}
                  </Link>
                </td>
              ) : null}
              <td class="mono">{p.phone ?? '—'}</td>
              <td class="mono">{p.idNumber}</td>
              <td>{f.date(p.arrivedOn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Label/value pairs of a record (`field` names the value for tests and styles). */
export function DetailList({
  rows,
  status,
}: {
  rows: { label: string; value: ComponentChildren; field: string; mono?: boolean }[];
  status?: string;
}) {
  return (
    <dl class="details details--housing" data-status={status}>
      {rows.map((r) => (
        <div key={r.field} class="detail">
          <dt>{r.label}</dt>
          <dd class={r.mono ? 'mono' : undefined} data-field={r.field}>
            {r.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const fieldLabels: Record<string, HousingKey> = {
  address: 'address',
  plaque: 'plaque',
  standardAddressCode: 'standardAddressCode',
  location: 'location',
  houseType: 'houseType',
  use: 'use',
  lettingMode: 'lettingMode',
  area: 'area',
  roomsLet: 'roomsLet',
  monthlyRent: 'monthlyRent',
  maxOccupants: 'maxOccupants',
  managementClass: 'managementClass',
  landlordId: 'landlord',
  caretaker: 'caretaker',
  securityResponsible: 'securityResponsible',
  status: 'status',
  registeredOn: 'registeredOn',
  bannedOn: 'bannedOn',
  closedOn: 'closedOn',
  lastInspectedOn: 'lastInspectedOn',
  lastInspection: 'lastInspection',
  discoveredOn: 'discoveredOn',
  ban: 'field.ban',
  closure: 'field.closure',
  securityLetterLapsedOn: 'field.securityLetterLapsedOn',
  revokedOn: 'revokedOn',
  revocationReason: 'field.revocationReason',
  expiringFlaggedOn: 'expiringFlaggedOn',
  name: 'name',
  phone: 'phone',
  workplace: 'workplace',
  legalRepresentative: 'legalRepresentative',
};

/** A record's history, newest last as the API returns it. */
export function Timeline({ items }: { items: HousingEvent[] }) {
  const t = useT(housingMessages);
  const f = useFormat();
  if (items.length === 0) return <p>{t('noHistory')}</p>;
  return (
    <ol class="timeline">
      {items.map((entry, i) => {
        // A record's first event lists every field: nothing worth reading.
        const creation = /^(created|signed)/.test(entry.action);
        const changed = (creation ? [] : (entry.changedFields ?? [])).map((name) =>
          fieldLabels[name] ? t(fieldLabels[name]) : name,
        );
        const day = ['registeredOn', 'discoveredOn', 'bannedOn', 'liftedOn', 'closedOn', 'inspectedOn']
          .map((k) => entry[k])
          .find((v): v is string => typeof v === 'string');
        const extras = [day ? f.date(day) : '', entry.hazard === true ? t('hazardFound') : ''].filter(
          Boolean,
        );
        return (
          <li
            key={`${entry.at}-${i}`}
            class={`timeline-item timeline-item--${entry.action}`}
            data-action={entry.action}
          >
            <time dateTime={entry.at}>{f.dateTime(entry.at)}</time>
            <p class="timeline-what">
              <strong>{labelOf(t, 'event', entry.action)}</strong>
              {extras.length > 0 ? ` · ${extras.join(' · ')}` : ''}
            </p>
            {entry.actor ? <p class="timeline-who">{t('historyBy', { actor: entry.actor.name })}</p> : null}
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

/** A one-time message carried to the next page ("The house is saved." after the form). */
let pendingFlash: string | undefined;
export function setFlash(message: string): void {
  pendingFlash = message;
}
export function takeFlash(): string | undefined {
  const message = pendingFlash;
  pendingFlash = undefined;
  return message;
}

export function Flash({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="alert alert--success" role="status">
      {message}
    </p>
  );
}

export type ConflictState = 'none' | 'conflict' | 'reloaded';

/**
 * A change sent with `If-Match: <version>`: a 412 (stale version) or a 409 (the record's state
 * refuses it now: changed meanwhile, or e.g. people still live in a house being closed) is
 * explained with a reload button. The form stays mounted across the reload, so nothing typed is lost.
 */
export function useVersionedSubmit<T>(props: { onSaved(record: T): void; reload(): Promise<void> }) {
  const [error, setError] = useState<unknown>();
  const [conflict, setConflict] = useState<{ state: ConflictState; status?: number; detail?: string }>({
    state: 'none',
  });
  const [busy, setBusy] = useState(false);
  return {
    error,
    conflict,
    busy,
    setError,
    async submit(send: () => Promise<T>) {
      setBusy(true);
      setError(undefined);
      try {
        const saved = await send();
        setConflict({ state: 'none' });
        props.onSaved(saved);
      } catch (e) {
        // A 409 that names its reason (people still living in a house being closed) is a
        // refusal to explain, not a version conflict to reload.
        if (e instanceof ApiError && e.isConflict && !isRefusal(e))
          setConflict({ state: 'conflict', status: e.status, detail: e.problem.detail });
        else setError(e);
      } finally {
        setBusy(false);
      }
    },
    async reload() {
      setBusy(true);
      try {
        await props.reload();
        setConflict({ state: 'reloaded' });
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    },
  };
}

function isRefusal(e: ApiError): boolean {
  return e.status === 409 && typeof (e.problem as { occupants?: unknown }).occupants === 'number';
}

export function ConflictNotice({
  conflict,
  onReload,
  busy,
  afterReload,
}: {
  conflict: { state: ConflictState; status?: number; detail?: string };
  onReload: () => void;
  busy: boolean;
  /** What to say after the reload when the action no longer applies (else: "your input is kept"). */
  afterReload?: string;
}) {
  const t = useT(uiMessages);
  const tc = useT(common);
  if (conflict.state === 'conflict') {
    return (
      <div class="alert alert--warning conflict" role="alert" data-conflict="true">
        <p>
          <strong>{conflict.status === 409 ? tc('error.409') : t('conflictTitle')}</strong>
        </p>
        {conflict.status === 409 && conflict.detail ? (
          <p>
            <ServerMessage message={conflict.detail} />
          </p>
        ) : null}
        <p>{t('conflictBody')}</p>
        <Button kind="secondary" onClick={onReload} disabled={busy}>
          {t('reload')}
        </Button>
      </div>
    );
  }
  if (conflict.state === 'reloaded') {
    return (
      <div class="alert alert--info" role="status" data-conflict="reloaded">
        {afterReload ?? t('reloaded')}
      </div>
    );
  }
  return null;
}

/** An action's form: a card with its heading, submitted without a page load. */
export function ActionForm({
  id,
  title,
  children,
  onSubmit,
}: {
  id: string;
  title: string;
  children: ComponentChildren;
  onSubmit: () => void;
}) {
  return (
    <form
      class="form action-form card"
      method="post"
      noValidate
      aria-labelledby={`${id}-title`}
      data-form={id}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
    </form>
  );
}

export function FormButtons({
  busy,
  label,
  onCancel,
  disabled,
  danger,
}: {
  busy: boolean;
  label: string;
  onCancel?: () => void;
  disabled?: boolean;
  danger?: boolean;
}) {
  const tc = useT(common);
  return (
    <div class="form-buttons">
      <Button type="submit" kind={danger ? 'danger' : 'primary'} disabled={busy || disabled}>
        {busy ? tc('saving') : label}
      </Button>
      {onCancel ? (
        <Button kind="secondary" onClick={onCancel}>
          {tc('cancel')}
        </Button>
      ) : null}
    </div>
  );
}

/**
 * Records other pages only name by id (a letter's house, a house's landlord): fetched once per
 * key and kept for labels. Only for labels — a page showing the record itself loads it fresh.
 */
const labelCache = new Map<string, Promise<unknown>>();
export function useLabelRecord<T>(path: string | undefined): T | undefined {
  const { me } = useSession();
  const cacheKey = path && me ? `${me.keyId}|${path}` : undefined;
  const [data, setData] = useState<T>();
  useEffect(() => {
    if (!cacheKey || !path) {
      setData(undefined);
      return;
    }
    let promise = labelCache.get(cacheKey) as Promise<T> | undefined;
    if (!promise) {
      promise = api<T>('GET', path);
      labelCache.set(cacheKey, promise);
      promise.catch(() => labelCache.delete(cacheKey));
    }
    let live = true;
    promise.then(
      (d) => live && setData(d),
      () => live && setData(undefined),
    );
    return () => {
      live = false;
    };
  }, [cacheKey, path]);
  return data;
}

/** After a change: labels fetched before are fetched again. */
export function forgetLabel(path: string): void {
  for (const key of labelCache.keys()) if (key.endsWith(`|${path}`)) labelCache.delete(key);
}

/** Accepts "12", "12.5" (or "" → undefined); anything else is an error message. */
export function parseNumber(
  value: string,
  t: (k: 'numberInvalid' | 'wholeNumber') => string,
  options: { integer?: boolean } = {},
): { value?: number; error?: string } {
  const s = value.trim().replace(',', '.');
  if (s === '') return {};
  if (!/^-?\d+(\.\d+)?$/.test(s)) return { error: t('numberInvalid') };
  const n = Number(s);
  if (options.integer && !Number.isInteger(n)) return { error: t('wholeNumber') };
  return { value: n };
}

export function useGridName(gridId: string): string {
  const { byId } = useGrids();
  return gridLabel(byId.get(gridId), gridId);
}
