import type { ComponentChildren } from 'preact';
import { useFormat, useT } from '../../core/i18n';
import { TextField } from '../../ui/form';
import type { IdCheck } from './id-check';
import { peopleMessages } from './messages';

/**
 * The ID number input: checked on every keystroke; a mistake appears next to it at once, a
 * complete valid number shows the sex and birth date it encodes (announced politely).
 */
export function IdNumberField({
  id = 'idNumber',
  value,
  onValue,
  check,
  serverError,
  showIncomplete,
  label,
}: {
  id?: string;
  value: string;
  onValue: (v: string) => void;
  check: IdCheck;
  serverError?: ComponentChildren;
  /** After a submit attempt: an incomplete number is an error, not progress. */
  showIncomplete: boolean;
  label?: string;
}) {
  const t = useT(peopleMessages);
  const f = useFormat();
  const error =
    check.state === 'invalid'
      ? (check.serverMessage ?? t(check.reason))
      : check.state === 'partial' && showIncomplete
        ? t('id.shape')
        : serverError;
  return (
    <div class="id-field">
      <TextField
        id={id}
        label={label ?? t('idNumber')}
        value={value}
        onValue={onValue}
        error={error}
        hint={check.state === 'partial' ? t('idProgress', { n: check.length }) : undefined}
        required
        class="mono"
        inputMode="text"
        autoComplete="off"
        spellcheck={false}
        maxLength={18}
      />
      <p class="derived" aria-live="polite" data-derived={id}>
        {check.state === 'valid'
          ? t('derived', { sex: t(`sex.${check.sex}`), birthDate: f.date(check.birthDate) })
          : ''}
      </p>
    </div>
  );
}
