import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';

export type Locale = 'zh-CN' | 'en';
export const locales: readonly Locale[] = ['zh-CN', 'en'];
const storageKey = 'registry.locale';

/**
 * A module's strings in every locale. The key set is inferred from both dictionaries, so a
 * string missing in one of them is a type error.
 */
export type Messages<K extends string> = Record<Locale, Record<K, string>>;
export function defineMessages<K extends string>(messages: Messages<K>): Messages<K> {
  return messages;
}

export interface Formatters {
  locale: Locale;
  number(n: number): string;
  percent(n: number): string;
  /** A calendar date `YYYY-MM-DD` (no time zone: it is a day). */
  date(day: string | null | undefined): string;
  /** An ISO timestamp in the township's time zone. */
  dateTime(iso: string | null | undefined): string;
  /** `YYYY-MM` as a short month. */
  month(month: string): string;
}

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
  timeZone: string;
  setTimeZone(tz: string): void;
}

const LocaleContext = createContext<LocaleState>({
  locale: 'zh-CN',
  setLocale: () => {},
  timeZone: 'Asia/Shanghai',
  setTimeZone: () => {},
});

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage unavailable: the default
  }
  return 'zh-CN';
}

export function LocaleProvider({ children }: { children: ComponentChildren }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [timeZone, setTimeZone] = useState('Asia/Shanghai');
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<LocaleState>(
    () => ({
      locale,
      timeZone,
      setTimeZone,
      setLocale(next) {
        try {
          localStorage.setItem(storageKey, next);
        } catch {
          // not remembered, still switched
        }
        setLocaleState(next);
      },
    }),
    [locale, timeZone],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

export function formattersFor(locale: Locale, timeZone: string): Formatters {
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  let stamp: Intl.DateTimeFormat;
  try {
    stamp = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  } catch {
    stamp = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  }
  const utcDay = (s: string) => {
    const [y, m, d] = s.split('-').map(Number);
    return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  };
  return {
    locale,
    number: (n) => number.format(n),
    percent: (n) => percent.format(n),
    date: (s) => (s ? day.format(utcDay(s)) : '—'),
    dateTime: (s) => (s ? stamp.format(new Date(s)) : '—'),
    month: (s) => month.format(utcDay(`${s}-01`)),
  };
}

export function useFormat(): Formatters {
  const { locale, timeZone } = useLocale();
  return useMemo(() => formattersFor(locale, timeZone), [locale, timeZone]);
}

export type Translate<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

/** `t(key, { name })` in the current locale; `{name}` placeholders are filled, numbers formatted. */
export function useT<K extends string>(messages: Messages<K>): Translate<K> {
  const { locale } = useLocale();
  return useMemo(() => {
    const dict = messages[locale];
    const number = new Intl.NumberFormat(locale);
    return (key: K, vars?: Record<string, string | number>) => {
      const text = dict[key];
      if (!vars) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const v = vars[name];
        if (v === undefined) return whole;
        return typeof v === 'number' ? number.format(v) : v;
      });
    };
  }, [messages, locale]);
}
