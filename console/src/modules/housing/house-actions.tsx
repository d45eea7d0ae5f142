import { useEffect, useState } from 'preact/hooks';
import { todayIn } from '../../../../shared/platform/dates';
import { ApiError, api, idempotencyKeys } from '../../core/api';
import { useT } from '../../core/i18n';
import { common } from '../../core/messages';
import { useSession } from '../../core/session';
import { FormAlert, fieldError, SelectField, TextField } from '../../ui/form';
import { checkHouse, type HouseField, HouseFields, houseFields, housePatch, houseValues } from './house-form';
import { LandlordPicker } from './landlord-picker';
import { type HousingKey, housingMessages } from './messages';
import { ActionForm, ConflictNotice, FormButtons, useVersionedSubmit } from './shared';
import { closureReasons, type House, type HouseStatus } from './types';

export type HouseAction = 'register' | 'inspect' | 'ban' | 'lift' | 'close' | 'reopen' | 'edit';

/** Each action: the API operation (whose OpenAPI roles decide who sees it) and the statuses it applies to. */
export const houseActions: {
  action: HouseAction;
  operation: string;
  on: readonly HouseStatus[];
  danger?: boolean;
}[] = [
  { action: 'register', operation: 'POST /v1/houses/{houseId}/registration', on: ['discovered'] },
  {
    action: 'inspect',
    operation: 'POST /v1/houses/{houseId}/inspections',
    on: ['discovered', 'registered', 'banned'],
  },
  { action: 'edit', operation: 'PATCH /v1/houses/{houseId}', on: ['discovered', 'registered', 'banned'] },
  { action: 'ban', operation: 'POST /v1/houses/{houseId}/ban', on: ['registered'], danger: true },
  { action: 'lift', operation: 'POST /v1/houses/{houseId}/lift', on: ['banned'] },
  { action: 'close', operation: 'POST /v1/houses/{houseId}/closure', on: ['registered'], danger: true },
  { action: 'reopen', operation: 'POST /v1/houses/{houseId}/reopening', on: ['closed'] },
];

export interface HouseActionProps {
  house: House;
  onSaved(house: House): void;
  /** Fetches the current record (after a conflict); the form keeps what was typed. */
  reload(): Promise<void>;
  onCancel(): void;
}

function useToday(): string {
  const { me } = useSession();
  return todayIn(me?.settings.timeZone ?? 'Asia/Shanghai');
}

/** After a reload the action may no longer apply: say so instead of "check and save again". */
function useAfterReload(house: House, action: HouseAction): string | undefined {
  const t = useT(housingMessages);
  const applies = houseActions.find((a) => a.action === action)?.on.includes(house.status);
  return applies ? undefined : t('nowStatus', { status: t(`status.${house.status}`) });
}

/**
 * A POST that changes the house's state: If-Match with the version the form was opened on,
 * an Idempotency-Key that stays the same while the body does.
 */
function useHousePost(props: HouseActionProps, path: string) {
  const [keyFor] = useState(idempotencyKeys);
  const s = useVersionedSubmit<House>(props);
  return {
    ...s,
    send(body: Record<string, unknown>) {
      const version = props.house.version;
      void s.submit(() =>
        api<House>('POST', `/v1/houses/${encodeURIComponent(props.house.houseId)}/${path}`, {
          ifMatch: version,
          idempotencyKey: keyFor({ body, version }),
          body,
        }),
      );
    },
  };
}

function dateError(value: string, today: string, t: (k: HousingKey) => string, required: string) {
  if (!value) return required;
  if (value > today) return t('notInFuture');
  return undefined;
}

export function RegisterForm(props: HouseActionProps) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const today = useToday();
  const [landlordId, setLandlordId] = useState(props.house.landlordId ?? '');
  const [registeredOn, setRegisteredOn] = useState(today);
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const s = useHousePost(props, 'registration');
  const after = useAfterReload(props.house, 'register');
  return (
    <ActionForm
      id="register"
      title={t('registerTitle')}
      onSubmit={() => {
        const errors = {
          landlordId: landlordId ? undefined : tc('required'),
          registeredOn: dateError(registeredOn, today, t, tc('required')),
        };
        setOwn(errors);
        if (errors.landlordId || errors.registeredOn) return;
        s.send({ landlordId, registeredOn });
      }}
    >
      <p class="note">{t('registerHelp')}</p>
      <ConflictNotice conflict={s.conflict} onReload={s.reload} busy={s.busy} afterReload={after} />
      <FormAlert error={s.error} fields={['landlordId', 'registeredOn']} />
      <LandlordPicker
        id="register-landlordId"
        value={landlordId}
        onValue={setLandlordId}
        placeholder={t('landlordChoose')}
        error={fieldError('landlordId', own, s.error)}
        required
        offerNew
      />
      <TextField
        id="register-registeredOn"
        type="date"
        label={t('registeredOn')}
        value={registeredOn}
        onValue={setRegisteredOn}
        max={today}
        error={fieldError('registeredOn', own, s.error)}
        required
      />
      <FormButtons busy={s.busy} label={t('action.register')} onCancel={props.onCancel} disabled={!!after} />
    </ActionForm>
  );
}

export function BanForm(props: HouseActionProps) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const today = useToday();
  const [reason, setReason] = useState('');
  const [basis, setBasis] = useState('');
  const [bannedOn, setBannedOn] = useState(today);
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const s = useHousePost(props, 'ban');
  const after = useAfterReload(props.house, 'ban');
  return (
    <ActionForm
      id="ban"
      title={t('banTitle')}
      onSubmit={() => {
        const errors = {
          reason: reason.trim() ? undefined : tc('required'),
          basis: basis.trim() ? undefined : tc('required'),
          bannedOn: dateError(bannedOn, today, t, tc('required')),
        };
        setOwn(errors);
        if (errors.reason || errors.basis || errors.bannedOn) return;
        s.send({ reason: reason.trim(), basis: basis.trim(), bannedOn });
      }}
    >
      <p class="note">{t('banHelp')}</p>
      <ConflictNotice conflict={s.conflict} onReload={s.reload} busy={s.busy} afterReload={after} />
      <FormAlert error={s.error} fields={['reason', 'basis', 'bannedOn']} />
      <TextField
        id="ban-reason"
        label={t('banReason')}
        value={reason}
        onValue={setReason}
        error={fieldError('reason', own, s.error)}
        required
      />
      <TextField
        id="ban-basis"
        label={t('banBasis')}
        value={basis}
        onValue={setBasis}
        error={fieldError('basis', own, s.error)}
        required
      />
      <TextField
        id="ban-bannedOn"
        type="date"
        label={t('bannedOn')}
        value={bannedOn}
        onValue={setBannedOn}
        max={today}
        error={fieldError('bannedOn', own, s.error)}
        required
      />
      <FormButtons
        busy={s.busy}
        label={t('action.ban')}
        onCancel={props.onCancel}
        danger
        disabled={!!after}
      />
    </ActionForm>
  );
}

export function LiftForm(props: HouseActionProps) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const today = useToday();
  const [liftedOn, setLiftedOn] = useState(today);
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const s = useHousePost(props, 'lift');
  const after = useAfterReload(props.house, 'lift');
  return (
    <ActionForm
      id="lift"
      title={t('liftTitle')}
      onSubmit={() => {
        const errors = { liftedOn: dateError(liftedOn, today, t, tc('required')) };
        setOwn(errors);
        if (errors.liftedOn) return;
        s.send({ liftedOn });
      }}
    >
      <ConflictNotice conflict={s.conflict} onReload={s.reload} busy={s.busy} afterReload={after} />
      <FormAlert error={s.error} fields={['liftedOn']} />
      <TextField
        id="lift-liftedOn"
        type="date"
        label={t('liftedOn')}
        value={liftedOn}
        onValue={setLiftedOn}
        max={today}
        error={fieldError('liftedOn', own, s.error)}
        required
      />
      <FormButtons busy={s.busy} label={t('action.lift')} onCancel={props.onCancel} disabled={!!after} />
    </ActionForm>
  );
}

export function CloseForm(props: HouseActionProps) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const today = useToday();
  const [reason, setReason] = useState('');
  const [closedOn, setClosedOn] = useState(today);
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const s = useHousePost(props, 'closure');
  const after = useAfterReload(props.house, 'close');
  const occupants =
    s.error instanceof ApiError && s.error.status === 409
      ? (s.error.problem as { occupants?: unknown }).occupants
      : undefined;
  const occupied = typeof occupants === 'number' ? occupants : undefined;
  return (
    <ActionForm
      id="close"
      title={t('closeTitle')}
      onSubmit={() => {
        const errors = {
          reason: reason ? undefined : tc('required'),
          closedOn: dateError(closedOn, today, t, tc('required')),
        };
        setOwn(errors);
        if (errors.reason || errors.closedOn) return;
        s.send({ reason, closedOn });
      }}
    >
      <p class="note">{t('closeHelp')}</p>
      <ConflictNotice conflict={s.conflict} onReload={s.reload} busy={s.busy} afterReload={after} />
      {occupied !== undefined ? (
        <div class="alert alert--error" role="alert" data-refusal="occupied">
          {t('closeOccupied', { n: occupied })}
        </div>
      ) : (
        <FormAlert error={s.error} fields={['reason', 'closedOn']} />
      )}
      <SelectField
        id="close-reason"
        label={t('closeReason')}
        value={reason}
        onValue={setReason}
        placeholder={t('choose')}
        options={closureReasons.map((r) => ({ value: r, label: t(`closure.${r}`) }))}
        error={fieldError('reason', own, s.error)}
        required
      />
      <TextField
        id="close-closedOn"
        type="date"
        label={t('closedOn')}
        value={closedOn}
        onValue={setClosedOn}
        max={today}
        error={fieldError('closedOn', own, s.error)}
        required
      />
      <FormButtons
        busy={s.busy}
        label={t('action.close')}
        onCancel={props.onCancel}
        danger
        disabled={!!after}
      />
    </ActionForm>
  );
}

export function ReopenForm(props: HouseActionProps) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const today = useToday();
  const [registeredOn, setRegisteredOn] = useState(today);
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const s = useHousePost(props, 'reopening');
  const after = useAfterReload(props.house, 'reopen');
  return (
    <ActionForm
      id="reopen"
      title={t('reopenTitle')}
      onSubmit={() => {
        const errors = { registeredOn: dateError(registeredOn, today, t, tc('required')) };
        setOwn(errors);
        if (errors.registeredOn) return;
        s.send({ registeredOn });
      }}
    >
      <ConflictNotice conflict={s.conflict} onReload={s.reload} busy={s.busy} afterReload={after} />
      <FormAlert error={s.error} fields={['registeredOn']} />
      <TextField
        id="reopen-registeredOn"
        type="date"
        label={t('reopenedOn')}
        value={registeredOn}
        onValue={setRegisteredOn}
        max={today}
        error={fieldError('registeredOn', own, s.error)}
        required
      />
      <FormButtons busy={s.busy} label={t('action.reopen')} onCancel={props.onCancel} disabled={!!after} />
    </ActionForm>
  );
}

export function InspectForm(props: HouseActionProps) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const today = useToday();
  const [inspectedOn, setInspectedOn] = useState(today);
  const [findings, setFindings] = useState('');
  const [hazard, setHazard] = useState(false);
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const s = useHousePost(props, 'inspections');
  const after = useAfterReload(props.house, 'inspect');
  return (
    <ActionForm
      id="inspect"
      title={t('inspectTitle')}
      onSubmit={() => {
        const errors = {
          inspectedOn: dateError(inspectedOn, today, t, tc('required')),
          findings: findings.trim() ? undefined : tc('required'),
        };
        setOwn(errors);
        if (errors.inspectedOn || errors.findings) return;
        s.send({ inspectedOn, findings: findings.trim(), hazard });
      }}
    >
      <ConflictNotice conflict={s.conflict} onReload={s.reload} busy={s.busy} afterReload={after} />
      <FormAlert error={s.error} fields={['inspectedOn', 'findings', 'hazard']} />
      <TextField
        id="inspect-inspectedOn"
        type="date"
        label={t('inspectedOn')}
        value={inspectedOn}
        onValue={setInspectedOn}
        max={today}
        error={fieldError('inspectedOn', own, s.error)}
        required
      />
      <TextField
        id="inspect-findings"
        label={t('findings')}
        value={findings}
        onValue={setFindings}
        error={fieldError('findings', own, s.error)}
        required
      />
      <label class="checkbox">
        <input
          type="checkbox"
          name="hazard"
          checked={hazard}
          onChange={(e) => setHazard(e.currentTarget.checked)}
        />
        {t('hazard')}
      </label>
      <FormButtons busy={s.busy} label={t('action.inspect')} onCancel={props.onCancel} disabled={!!after} />
    </ActionForm>
  );
}

/** PATCH /v1/houses/{houseId} with If-Match: only the fields changed from the record the form opened on. */
export function EditHouseForm(props: HouseActionProps) {
  const t = useT(housingMessages);
  const tc = useT(common);
  const [base, setBase] = useState(() => houseValues(props.house));
  const [values, setValues] = useState(base);
  useEffect(() => {
    const fresh = houseValues(props.house);
    if (houseFields.every((f) => fresh[f] === base[f])) return;
    // After a reload: untouched fields take the current values, typed ones stay as typed.
    setValues((typed) => {
      const next = { ...typed };
      for (const f of houseFields) if (typed[f] === base[f]) next[f] = fresh[f];
      return next;
    });
    setBase(fresh);
  }, [props.house, base]);
  const [own, setOwn] = useState<Partial<Record<string, string>>>({});
  const [unchanged, setUnchanged] = useState(false);
  const s = useVersionedSubmit<House>(props);
  const after = useAfterReload(props.house, 'edit');
  const set = (f: HouseField) => (v: string) => {
    setValues((x) => ({ ...x, [f]: v }));
    setOwn((e) => ({ ...e, [f]: undefined }));
    setUnchanged(false);
  };
  return (
    <ActionForm
      id="edit"
      title={t('editTitle')}
      onSubmit={() => {
        const errors = checkHouse(values, t, tc('required'), {
          landlordRequired: props.house.status !== 'discovered',
        });
        setOwn(errors);
        if (Object.values(errors).some(Boolean)) return;
        const changes = housePatch(base, values);
        if (Object.keys(changes).length === 0) {
          setUnchanged(true);
          return;
        }
        const { houseId, version } = props.house;
        void s.submit(() =>
          api<House>('PATCH', `/v1/houses/${encodeURIComponent(houseId)}`, {
            ifMatch: version,
            body: changes,
          }),
        );
      }}
    >
      <ConflictNotice conflict={s.conflict} onReload={s.reload} busy={s.busy} afterReload={after} />
      <FormAlert
        error={s.error}
        fields={[...houseFields, 'address', 'caretaker', 'securityResponsible', 'location']}
      />
      {unchanged ? (
        <p class="alert alert--info" role="status">
          {t('nothingChanged')}
        </p>
      ) : null}
      <HouseFields
        values={values}
        set={set}
        err={(f) => fieldError(f, own, s.error)}
        idPrefix="edit-"
        landlordRequired={props.house.status !== 'discovered'}
      />
      <FormButtons busy={s.busy} label={t('saveEdit')} onCancel={props.onCancel} disabled={!!after} />
    </ActionForm>
  );
}
