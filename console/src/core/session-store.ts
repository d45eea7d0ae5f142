/** The API key of this tab's session: sessionStorage only (gone when the tab closes). */
const storageKey = 'registry.apiKey';

export function readKey(): string | undefined {
  try {
    return sessionStorage.getItem(storageKey) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeKey(key: string): void {
  sessionStorage.setItem(storageKey, key);
}

export function clearKey(): void {
  try {
    sessionStorage.removeItem(storageKey);
  } catch {
    // nothing stored
  }
}
