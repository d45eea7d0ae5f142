/**
 * Who is signed in: the key (sessionStorage), what GET /v1/me says about it, and which API
 * operations its role may call — read from the OpenAPI document's `x-roles`, the same
 * declarations the API checks, so the console never shows an action the API would refuse.
 */
import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, onUnauthorized } from './api';
import { useLocale } from './i18n';
import { navigate } from './router';
import { clearKey, readKey, storeKey } from './session-store';
import type { Me, Role } from './types';

type Permissions = ReadonlyMap<string, readonly Role[]>;

export interface Session {
  status: 'loading' | 'signed-out' | 'signed-in';
  me: Me | undefined;
  /** Why the last session ended (a refused key), shown on the sign-in page. */
  notice: string | undefined;
  /** Whether the key's role may call `METHOD /v1/path` (as the OpenAPI document spells it). */
  can(operation: string): boolean;
  /** Whether a grid is in the key's scope (keys without gridIds see every grid). */
  inScope(gridId: string): boolean;
  signIn(key: string): Promise<void>;
  signOut(notice?: string): void;
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

let permissionsCache: Promise<Permissions> | undefined;
function loadPermissions(): Promise<Permissions> {
  permissionsCache ??= api<{ paths: Record<string, Record<string, { 'x-roles'?: Role[] }>> }>(
    'GET',
    '/v1/openapi.json',
    { anonymous: true },
  )
    .then((doc) => {
      const map = new Map<string, readonly Role[]>();
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (operation && typeof operation === 'object' && Array.isArray(operation['x-roles'])) {
            map.set(`${method.toUpperCase()} ${path}`, operation['x-roles']);
          }
        }
      }
      return map;
    })
    .catch((error: unknown) => {
      permissionsCache = undefined;
      throw error;
    });
  return permissionsCache;
}

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const { setTimeZone } = useLocale();
  const [status, setStatus] = useState<Session['status']>(readKey() ? 'loading' : 'signed-out');
  const [me, setMe] = useState<Me>();
  const [permissions, setPermissions] = useState<Permissions>(new Map());
  const [notice, setNotice] = useState<string>();

  const signOut = useCallback((why?: string) => {
    clearKey();
    setMe(undefined);
    setStatus('signed-out');
    setNotice(why);
    navigate('/signin', { replace: true });
  }, []);

  const load = useCallback(
    async (key?: string) => {
      const [who, perms] = await Promise.all([
        api<Me>('GET', '/v1/me', key ? { key } : {}),
        loadPermissions(),
      ]);
      setMe(who);
      setPermissions(perms);
      setTimeZone(who.settings.timeZone);
      return who;
    },
    [setTimeZone],
  );

  useEffect(() => {
    if (!readKey()) return;
    load()
      .then(() => setStatus('signed-in'))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) signOut(error.problem.detail);
        else setStatus('signed-out');
      });
  }, [load, signOut]);

  useEffect(() => onUnauthorized((error) => signOut(error.problem.detail ?? error.problem.title)), [signOut]);

  const value = useMemo<Session>(
    () => ({
      status,
      me,
      notice,
      can(operation) {
        return !!me && (permissions.get(operation)?.includes(me.role) ?? false);
      },
      inScope(gridId) {
        return !!me && (me.gridIds === null || me.gridIds.includes(gridId));
      },
      async signIn(key) {
        await load(key);
        storeKey(key);
        setNotice(undefined);
        setStatus('signed-in');
      },
      signOut,
      async refresh() {
        await load();
      },
    }),
    [status, me, notice, permissions, load, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
