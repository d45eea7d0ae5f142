import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useT } from '../../core/i18n';
import { Link } from '../../core/router';
import { useSession } from '../../core/session';
import type { Page as ListPage } from '../../core/types';
import { SelectField, TextField } from '../../ui/form';
import { housingMessages } from './messages';
import type { Landlord } from './types';

/**
 * Choosing a landlord: a name-prefix search (GET /v1/landlords?q=) feeding a native select.
 * Two plain controls instead of a custom combobox, so keyboard and screen readers need nothing new.
 */
export function LandlordPicker({
  id,
  value,
  onValue,
  error,
  required,
  placeholder,
  label,
  offerNew,
}: {
  id: string;
  value: string;
  onValue: (landlordId: string) => void;
  error?: ComponentChildren;
  required?: boolean;
  /** The empty option ("choose…" in a form, "any landlord" in a filter). */
  placeholder: string;
  label?: string;
  /** A link to the new-landlord page (in forms, not in filters). */
  offerNew?: boolean;
}) {
  const t = useT(housingMessages);
  const { can } = useSession();
  const [prefix, setPrefix] = useState('');
  const [found, setFound] = useState<Landlord[]>();
  const [chosen, setChosen] = useState<Landlord>();
  useEffect(() => {
    let live = true;
    const timer = setTimeout(
      () => {
        api<ListPage<Landlord>>('GET', '/v1/landlords', { query: { q: prefix.trim(), limit: 25 } }).then(
          (page) => live && setFound(page.items),
          () => live && setFound([]),
        );
      },
      prefix ? 250 : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [prefix]);
  // The chosen landlord stays an option whatever the search shows.
  useEffect(() => {
    if (!value || chosen?.landlordId === value) return;
    const inList = found?.find((l) => l.landlordId === value);
    if (inList) {
      setChosen(inList);
      return;
    }
    let live = true;
    api<Landlord>('GET', `/v1/landlords/${encodeURIComponent(value)}`).then(
      (l) => live && setChosen(l),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [value, found, chosen]);
  const options = [...(found ?? [])];
  if (chosen && chosen.landlordId === value && !options.some((l) => l.landlordId === value))
    options.unshift(chosen);
  return (
    <div class="landlord-picker" data-picker={id}>
      <TextField
        id={`${id}-search`}
        label={t('landlordSearch')}
        value={prefix}
        onValue={setPrefix}
        hint={found && found.length === 0 && prefix ? t('landlordNoMatch') : t('landlordSearchHint')}
        autoComplete="off"
      />
      <SelectField
        id={id}
        label={label ?? t('landlord')}
        value={value}
        onValue={onValue}
        placeholder={placeholder}
        options={options.map((l) => ({ value: l.landlordId, label: l.name }))}
        error={error}
        required={required}
      />
      {offerNew && can('POST /v1/landlords') ? (
        <p class="picker-new">
          <Link href="/landlords/new">{t('landlordNew')}</Link>
        </p>
      ) : null}
    </div>
  );
}
