import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { todayIn } from '../../../../shared/platform/dates';
import { ApiError, api, idempotencyKeys } from '../../core/api';
import { useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { useSession } from '../../core/session';
import { departureReasons, maritalStatuses, outcomes, type Person } from '../../core/types';
import { Button, FormAlert, fieldError, RadioGroup, SelectField, TextField } from '../../ui/form';
import { uiMessages } from '../../ui/messages';
import { gridLabel, useGrids } from '../grids/use-grids';
import { HouseSelect } from './house-select';
import { peopleMessages } from './messages';

export interface ActionProps {
  person: Person;
  onSaved(person: Person): void;
  /** Fetches the current record (after a conflict); the form keeps what was typed. */
  reload(): Promise<void>;
  onCancel(): void;
}

/**
 * A change sent with `If-Match: <version>`: a 412 (or a 409: the record changed state
 * meanwhile) is explained with a reload button. The form's fields are state of the form
 * itself, which stays mounted across the reload, so nothing typed is lost.
 */
function useVersionedSubmit(props: ActionProps) {
  const [error, setError] = useState<unknown>();
  const [conflict, setConflict] = useState<'none' | 'conflict' | 'reloaded'>('none');
  const [busy, setBusy] = useState(false);
  return {
    error,
    conflict,
    busy,
    setError,
    async submit(send: () => Promise<Person>) {
      setBusy(true);
      setError(undefined);
      try {
        const updated = await send();
        setConflict('none');
        props.onSaved(updated);
      } catch (e) {
        if (e instanceof ApiError && e.isConflict) setConflict('conflict');
        else setError(e);
      } finally {
        setBusy(false);
      }
    },
    async reload() {
      setBusy(true);
      try {
        await props.reload();
        setConflict('reloaded');
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    },
  };
}

function ConflictNotice({
  state,
  person,
  onReload,
  busy,
}: {
  state: 'none' | 'conflict' | 'reloaded';
  person: Person;
  onReload: () => void;
  busy: boolean;
}) {
  const t = useT(uiMessages);
  const tp = useT(peopleMessages);
  if (state === 'conflict') {
    return (
      <div class="alert alert--warning conflict" role="alert" data-conflict="true">
        <p>
          <strong>{t('conflictTitle')}</strong>
        </p>
        <p>{t('conflictBody')}</p>
        <Button kind="secondary" onClick={onReload} disabled={busy}>
          {t('reload')}
        </Button>
      </div>
    );
  }
  if (state === 'reloaded') {
    return (
      <div class="alert alert--info" role="status" data-conflict="reloaded">
        {person.status === 'active'
          ? t('reloaded')
          : tp('notActive', { status: tp(`status.${person.status}`) })}
      </div>
    );
  }
  return null;
}

function ActionFrame({
  title,
  children,
  onSubmit,
}: {
  title: string;
  children: ComponentChildren;
  onSubmit: () => void;
}) {
  const id = `action-${title.length}-title`;
  return (
    <form
      class="form action-form card"
      method="post"
      noValidate
      aria-labelledby={id}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={id}>{title}</h3>
      {children}
    </form>
  );
}

function FormButtons({
  busy,
  label,
  onCancel,
  disabled,
}: {
  busy: boolean;
  label: string;
  onCancel: () => void;
  disabled?: boolean;
}) {
  const tc = useT(common);
  return (
    <div class="form-buttons">
      <Button type="submit" disabled={busy || disabled}>
        {busy ? tc('saving') : label}
      </Button>
      <Button kind="secondary" onClick={onCancel}>
        {tc('cancel')}
      </Button>
    </div>
  );
}

export function VerifyForm(props: ActionProps) {
  const t = useT(peopleMessages);
  const tc = useT(common);
  const { me } = useSession();
  const { grids } = useGrids();
  const today = todayIn(me?.settings.timeZone ?? 'Asia/Shanghai');
  const [outcome, setOutcome] = useState('present');
  const [verifiedOn, setVerifiedOn] = useState(today);
  const [gridId, setGridId] = useState('');
  const [houseId, setHouseId] = useState('');
  const [address, setAddress] = useState('');
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [keyFor] = useState(idempotencyKeys);
  const s = useVersionedSubmit(props);
  const shown = ['verifiedOn', 'outcome', 'gridId', 'houseId', 'address'];
  return (
    <ActionFrame
      title={t('verifyTitle')}
      onSubmit={() => {
        const errors: Partial<Record<string, string>> = {};
        if (!verifiedOn) errors.verifiedOn = tc('required');
        else if (verifiedOn > today) errors.verifiedOn = t('notInFuture');
        if (outcome === 'moved' && !address.trim()) errors.address = tc('required');
        setOwn(errors);
        if (Object.keys(errors).length > 0) return;
        const body = {
          verifiedOn,
          outcome,
          ...(outcome === 'moved'
            ? { address: address.trim(), ...(gridId ? { gridId } : {}), ...(houseId ? { houseId } : {}) }
            : {}),
        };
        const version = props.person.version;
        void s.submit(() =>
          api<Person>('POST', `/v1/people/${props.person.personId}/verifications`, {
            ifMatch: version,
            idempotencyKey: keyFor({ body, version }),
            body,
          }),
        );
      }}
    >
      <ConflictNotice state={s.conflict} person={props.person} onReload={s.reload} busy={s.busy} />
      <FormAlert error={s.error} fields={shown} />
      <RadioGroup
        name="outcome"
        legend={t('outcome')}
        value={outcome}
        onValue={setOutcome}
        options={outcomes.map((o) => ({ value: o, label: t(`outcome.${o}`) }))}
        error={fieldError('outcome', own, s.error)}
        required
      />
      <TextField
        id="verifiedOn"
        type="date"
        label={t('verifiedOn')}
        value={verifiedOn}
        onValue={setVerifiedOn}
        max={today}
        error={fieldError('verifiedOn', own, s.error)}
        required
      />
      {outcome === 'moved' ? (
        <>
          <SelectField
            id="verify-gridId"
            label={t('moveToGrid')}
            value={gridId}
            onValue={setGridId}
            placeholder={gridLabel(
              grids?.find((g) => g.gridId === props.person.gridId),
              props.person.gridId,
            )}
            options={(grids ?? [])
              .filter((g) => g.gridId !== props.person.gridId)
              .map((g) => ({ value: g.gridId, label: gridLabel(g, g.gridId) }))}
            error={fieldError('gridId', own, s.error)}
          />
          <HouseSelect
            id="verify-houseId"
            gridId={gridId || props.person.gridId}
            value={houseId}
            onValue={setHouseId}
            error={fieldError('houseId', own, s.error)}
          />
          <TextField
            id="verify-address"
            label={t('newAddress')}
            value={address}
            onValue={setAddress}
            error={fieldError('address', own, s.error)}
            required
          />
        </>
      ) : null}
      <FormButtons
        busy={s.busy}
        label={t('saveVerification')}
        onCancel={props.onCancel}
        disabled={props.person.status !== 'active'}
      />
    </ActionFrame>
  );
}

export function WriteOffForm(props: ActionProps) {
  const t = useT(peopleMessages);
  const tc = useT(common);
  const { me } = useSession();
  const today = todayIn(me?.settings.timeZone ?? 'Asia/Shanghai');
  const [departedOn, setDepartedOn] = useState(today);
  const [reason, setReason] = useState('');
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [keyFor] = useState(idempotencyKeys);
  const s = useVersionedSubmit(props);
  return (
    <ActionFrame
      title={t('writeOffTitle')}
      onSubmit={() => {
        const errors: Partial<Record<string, string>> = {};
        if (!departedOn) errors.departedOn = tc('required');
        else if (departedOn > today) errors.departedOn = t('notInFuture');
        if (!reason) errors.reason = tc('required');
        setOwn(errors);
        if (Object.keys(errors).length > 0) return;
        const body = { departedOn, reason };
        const version = props.person.version;
        void s.submit(() =>
          api<Person>('POST', `/v1/people/${props.person.personId}/departure`, {
            ifMatch: version,
            idempotencyKey: keyFor({ body, version }),
            body,
          }),
        );
      }}
    >
      <ConflictNotice state={s.conflict} person={props.person} onReload={s.reload} busy={s.busy} />
      <FormAlert error={s.error} fields={['departedOn', 'reason']} />
      <TextField
        id="departedOn"
        type="date"
        label={t('departedOn')}
        value={departedOn}
        onValue={setDepartedOn}
        max={today}
        error={fieldError('departedOn', own, s.error)}
        required
      />
      <SelectField
        id="reason"
        label={t('departureReason')}
        value={reason}
        onValue={setReason}
        placeholder={t('choose')}
        options={departureReasons.map((r) => ({ value: r, label: t(`reason.${r}`) }))}
        error={fieldError('reason', own, s.error)}
        required
      />
      <FormButtons
        busy={s.busy}
        label={t('saveWriteOff')}
        onCancel={props.onCancel}
        disabled={props.person.status !== 'active'}
      />
    </ActionFrame>
  );
}

const editable = [
  'address',
  'phone',
  'maritalStatus',
  'occupation',
  'employer',
  'gridId',
  'houseId',
] as const;
type Editable = (typeof editable)[number];

function editableOf(p: Person): Record<Editable, string> {
  return {
    address: p.address,
    phone: p.phone ?? '',
    maritalStatus: p.maritalStatus,
    occupation: p.occupation ?? '',
    employer: p.employer ?? '',
    gridId: p.gridId,
    houseId: p.houseId ?? '',
  };
}

export function EditForm(props: ActionProps) {
  const t = useT(peopleMessages);
  const tc = useT(common);
  const { grids } = useGrids();
  // `base`: the record as it was when the form opened (or was last reloaded). Only fields the
  // user changed from it are sent, so a colleague's change to another field is never undone.
  const [base, setBase] = useState(() => editableOf(props.person));
  const [values, setValues] = useState(base);
  useEffect(() => {
    const fresh = editableOf(props.person);
    if (editable.every((f) => fresh[f] === base[f])) return;
    // After a reload: untouched fields take the current values, typed ones stay as typed.
    setValues((typed) => {
      const next = { ...typed };
      for (const f of editable) if (typed[f] === base[f]) next[f] = fresh[f];
      return next;
    });
    setBase(fresh);
  }, [props.person, base]);
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [unchanged, setUnchanged] = useState(false);
  const s = useVersionedSubmit(props);
  const set = (name: Editable) => (v: string) => {
    setValues((x) => ({ ...x, [name]: v }));
    setUnchanged(false);
  };
  return (
    <ActionFrame
      title={t('editTitle')}
      onSubmit={() => {
        const errors: Partial<Record<string, string>> = {};
        if (!values.address.trim()) errors.address = tc('required');
        setOwn(errors);
        if (Object.keys(errors).length > 0) return;
        const p = props.person;
        const changes: Record<string, string | null> = {};
        for (const f of editable) {
          const v = values[f].trim();
          if (v === base[f]) continue;
          changes[f] =
            v === '' && (f === 'phone' || f === 'occupation' || f === 'employer' || f === 'houseId')
              ? null
              : v;
        }
        if (Object.keys(changes).length === 0) {
          setUnchanged(true);
          return;
        }
        void s.submit(() =>
          api<Person>('PATCH', `/v1/people/${p.personId}`, { ifMatch: p.version, body: changes }),
        );
      }}
    >
      <ConflictNotice state={s.conflict} person={props.person} onReload={s.reload} busy={s.busy} />
      <FormAlert error={s.error} fields={editable} />
      {unchanged ? (
        <p class="alert alert--info" role="status">
          {t('nothingChanged')}
        </p>
      ) : null}
      <TextField
        id="edit-address"
        label={t('address')}
        value={values.address}
        onValue={set('address')}
        error={fieldError('address', own, s.error)}
        required
      />
      <TextField
        id="edit-phone"
        type="tel"
        label={t('phone')}
        value={values.phone}
        onValue={set('phone')}
        error={fieldError('phone', own, s.error)}
      />
      <SelectField
        id="edit-maritalStatus"
        label={t('maritalStatus')}
        value={values.maritalStatus}
        onValue={set('maritalStatus')}
        options={maritalStatuses.map((m) => ({ value: m, label: t(`marital.${m}`) }))}
        error={fieldError('maritalStatus', own, s.error)}
      />
      <TextField
        id="edit-occupation"
        label={t('occupation')}
        value={values.occupation}
        onValue={set('occupation')}
        error={fieldError('occupation', own, s.error)}
      />
      <TextField
        id="edit-employer"
        label={t('employer')}
        value={values.employer}
        onValue={set('employer')}
        error={fieldError('employer', own, s.error)}
      />
      <SelectField
        id="edit-gridId"
        label={t('grid')}
        value={values.gridId}
        onValue={set('gridId')}
        options={(grids ?? []).map((g) => ({ value: g.gridId, label: gridLabel(g, g.gridId) }))}
        error={fieldError('gridId', own, s.error)}
      />
      <HouseSelect
        id="edit-houseId"
        gridId={values.gridId}
        value={values.houseId}
        onValue={set('houseId')}
        error={fieldError('houseId', own, s.error)}
      />
      <FormButtons
        busy={s.busy}
        label={t('saveEdit')}
        onCancel={props.onCancel}
        disabled={props.person.status !== 'active'}
      />
    </ActionFrame>
  );
}
