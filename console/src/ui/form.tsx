import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { ApiError, OfflineError } from '../core/api';
import { useLocale, useT } from '../core/i18n';
import { common } from '../core/messages';

/** The message for one field: the console's own check first, else what the API said about it. */
export function fieldError(
  name: string,
  clientErrors: Partial<Record<string, string>>,
  error: unknown,
): ComponentChildren | undefined {
  const own = clientErrors[name];
  if (own) return own;
  if (error instanceof ApiError) {
    const message = error.fieldMessage(name);
    if (message) return <ServerMessage message={message} />;
  }
  return undefined;
}

/** An API message (English only: the API has no localized messages) marked as such. */
export function ServerMessage({ message }: { message: string }) {
  const { locale } = useLocale();
  const t = useT(common);
  if (locale === 'en') return <span>{message}</span>;
  return (
    <span>
      {t('serverSaid')} <span lang="en">{message}</span>
    </span>
  );
}

interface FieldFrameProps {
  id: string;
  label: string;
  error?: ComponentChildren;
  hint?: ComponentChildren;
  required?: boolean;
  children: (describedBy: string | undefined) => ComponentChildren;
}

function FieldFrame({ id, label, error, hint, required, children }: FieldFrameProps) {
  const t = useT(common);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id}>
        {label}
        {required ? <span class="required-mark"> {t('requiredMark')}</span> : null}
      </label>
      {children(describedBy || undefined)}
      {hint ? (
        <p id={`${id}-hint`} class="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} class="field-error" data-field-error={id}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface InputProps {
  type?: 'text' | 'password' | 'email' | 'tel' | 'date';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'tel' | 'email';
  spellcheck?: boolean;
  maxLength?: number;
  max?: string;
  class?: string;
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: ComponentChildren;
  hint?: ComponentChildren;
  required?: boolean;
}

export function TextField({ id, label, value, onValue, error, hint, required, type, ...rest }: InputProps) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required}>
      {(describedBy) => (
        <input
          {...rest}
          // Preact's types tie each input type to its own attributes; these few are all text-like.
          type={(type ?? 'text') as 'text'}
          id={id}
          name={id}
          value={value}
          required={required}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      )}
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
}

type SelectProps = {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: readonly Option[];
  error?: ComponentChildren;
  hint?: ComponentChildren;
  required?: boolean;
  /** A first option with an empty value (e.g. "all" or "choose…"). */
  placeholder?: string;
  disabled?: boolean;
};

export function SelectField({
  id,
  label,
  value,
  onValue,
  options,
  error,
  hint,
  required,
  placeholder,
  disabled,
}: SelectProps) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required}>
      {(describedBy) => (
        <select
          id={id}
          name={id}
          value={value}
          required={required}
          disabled={disabled}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onValue(e.currentTarget.value)}
        >
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

type RadioProps = {
  name: string;
  legend: string;
  value: string;
  onValue: (value: string) => void;
  options: readonly Option[];
  error?: ComponentChildren;
  required?: boolean;
};

export function RadioGroup({ name, legend, value, onValue, options, error, required }: RadioProps) {
  const t = useT(common);
  return (
    <fieldset
      class={`field radio-group${error ? ' field--invalid' : ''}`}
      aria-describedby={error ? `${name}-error` : undefined}
    >
      <legend>
        {legend}
        {required ? <span class="required-mark"> {t('requiredMark')}</span> : null}
      </legend>
      <div class="radio-options">
        {options.map((o) => (
          <label key={o.value} class="radio">
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => onValue(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
      {error ? (
        <p id={`${name}-error`} class="field-error" data-field-error={name}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * What went wrong with a request, for the top of a form: the status in words, the API's
 * detail, and any field errors that name no field shown in this form. Field errors that do
 * name a shown field appear next to it instead.
 */
export function FormAlert({ error, fields = [] }: { error: unknown; fields?: readonly string[] }) {
  const t = useT(common);
  if (!error) return null;
  if (error instanceof OfflineError) {
    return (
      <div class="alert alert--error" role="alert">
        {t('error.offline')}
      </div>
    );
  }
  if (!(error instanceof ApiError)) {
    return (
      <div class="alert alert--error" role="alert">
        {t('error.other', { status: '—' })}
      </div>
    );
  }
  const { status, problem } = error;
  const shown = new Set(fields.flatMap((f) => [f, `query.${f}`]));
  const elsewhere = (problem.errors ?? []).filter((e) => !shown.has(e.path));
  const inFields = (problem.errors ?? []).length - elsewhere.length;
  const headline =
    status >= 500
      ? t('error.5xx', { id: problem.requestId ?? '—' })
      : status === 400 && inFields > 0
        ? t('formHasErrors', { count: inFields })
        : statusText(status, t);
  return (
    <div class="alert alert--error" role="alert">
      <p>{headline}</p>
      {problem.detail && status < 500 && !(status === 400 && elsewhere.length === 0) ? (
        <p>
          <ServerMessage message={problem.detail} />
        </p>
      ) : null}
      {elsewhere.length > 0 ? (
        <ul>
          {elsewhere.map((e) => (
            <li key={e.path}>
              <code>{e.path}</code> <ServerMessage message={e.message} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function statusText(
  status: number,
  t: (
    key:
      | 'error.400'
      | 'error.401'
      | 'error.403'
      | 'error.404'
      | 'error.409'
      | 'error.412'
      | 'error.413'
      | 'error.429'
      | 'error.other',
    vars?: Record<string, string | number>,
  ) => string,
): string {
  switch (status) {
    case 400:
    case 401:
    case 403:
    case 404:
    case 409:
    case 412:
    case 413:
    case 429:
      return t(`error.${status}`);
    default:
      return t('error.other', { status });
  }
}

export function Button({
  children,
  kind = 'primary',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { kind?: 'primary' | 'secondary' | 'danger' | 'link' }) {
  return (
    <button type="button" {...rest} class={`button button--${kind}${rest.class ? ` ${rest.class}` : ''}`}>
      {children}
    </button>
  );
}
