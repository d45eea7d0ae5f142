import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../core/api';
import { useT } from '../core/i18n';
import { common } from '../core/messages';
import { Link } from '../core/router';
import { Button, FormAlert } from './form';
import { uiMessages } from './messages';

/**
 * A page: its title (also the document's), focused when the page opens so a screen reader
 * announces where the user is after each navigation.
 */
export function Page({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  const t = useT(common);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('appName')}`;
  }, [title, t]);
  useEffect(() => {
    // Only after an in-app navigation: on the first load the browser's own focus start is kept.
    if (document.body.dataset.navigated) heading.current?.focus({ preventScroll: false });
    document.body.dataset.navigated = 'true';
  }, []);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions ? <div class="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Loading() {
  const t = useT(common);
  return (
    <p class="loading" role="status">
      {t('loading')}
    </p>
  );
}

/** A failed load: 403 and 404 in words, anything else with a retry. */
export function LoadError({ error, retry }: { error: unknown; retry?: () => void }) {
  const t = useT(common);
  if (error instanceof ApiError && error.status === 403) {
    return (
      <div class="alert alert--warning" role="alert">
        <p>{t('forbiddenBody')}</p>
      </div>
    );
  }
  return (
    <div>
      <FormAlert error={error} />
      {retry ? (
        <Button kind="secondary" onClick={retry}>
          {t('retry')}
        </Button>
      ) : null}
    </div>
  );
}

export function NotFound() {
  const t = useT(common);
  return (
    <Page title={t('notFoundTitle')}>
      <p>{t('notFoundBody')}</p>
      <p>
        <Link href="/">{t('backToDashboard')}</Link>
      </p>
    </Page>
  );
}

export function Forbidden() {
  const t = useT(common);
  return (
    <Page title={t('forbiddenTitle')}>
      <p>{t('forbiddenBody')}</p>
      <p>
        <Link href="/">{t('backToDashboard')}</Link>
      </p>
    </Page>
  );
}

/** A new key, shown once: selectable, with a copy button and a plain warning. */
export function KeyReveal({
  apiKey,
  onDone,
  doneLabel,
}: {
  apiKey: string;
  onDone: () => void;
  doneLabel?: string;
}) {
  const t = useT(uiMessages);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, []);
  return (
    <section class="key-reveal" aria-labelledby="key-reveal-title" tabIndex={-1} ref={box}>
      <h2 id="key-reveal-title">{t('keyOnceTitle')}</h2>
      <p class="key-warning">
        <strong>{t('keyOnceWarning')}</strong>
      </p>
      <div class="key-row">
        <label for="revealed-key">{t('keyLabel')}</label>
        <input
          id="revealed-key"
          class="key-value"
          readOnly
          value={apiKey}
          spellcheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          kind="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(apiKey);
              setCopyState('copied');
            } catch {
              setCopyState('failed');
            }
          }}
        >
          {t('copy')}
        </Button>
      </div>
      <p class="copy-status" role="status">
        {copyState === 'copied' ? t('copied') : copyState === 'failed' ? t('copyFailed') : ''}
      </p>
      <Button onClick={onDone}>{doneLabel ?? t('keyStored')}</Button>
    </section>
  );
}

/** Cursor paging: the cursors of the pages seen so far, so "previous" needs no server support. */
export function usePager(resetKey: string) {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const [key, setKey] = useState(resetKey);
  if (key !== resetKey) {
    setKey(resetKey);
    setStack([undefined]);
  }
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    next(nextCursor: string) {
      setStack((s) => [...s, nextCursor]);
    },
    previous() {
      setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));
    },
  };
}

export function Pager({
  page,
  nextCursor,
  onNext,
  onPrevious,
}: {
  page: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}) {
  const t = useT(common);
  if (page === 1 && !nextCursor) return null;
  return (
    <nav class="pager" aria-label={t('pagerLabel')}>
      <Button kind="secondary" disabled={page === 1} onClick={onPrevious}>
        {t('previousPage')}
      </Button>
      <span aria-current="page">{t('pageNumber', { n: page })}</span>
      <Button kind="secondary" disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)}>
        {t('nextPage')}
      </Button>
    </nav>
  );
}

/** A load that re-runs when `deps` change; `reload()` runs it again. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return {
    ...state,
    reload: () => setTick((n) => n + 1),
    setData: (data: T) => setState({ data, loading: false }),
  };
}

/**
 * Runs `load` now and then every `intervalMs` while the page is open (skipping beats while the
 * tab is hidden); the last good answer stays on screen when one fails.
 */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; at?: Date }>({});
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const beat = async () => {
      if (document.visibilityState !== 'hidden') {
        try {
          const data = await load();
          if (live) setState({ data, at: new Date() });
        } catch (error) {
          if (live) setState((s) => ({ ...s, error }));
        }
      }
      if (live) timer = setTimeout(beat, intervalMs);
    };
    void beat();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, deps);
  return state;
}
