/**
 * Asks the browser to keep this site's storage under storage pressure
 * (`navigator.storage.persist()`), so the resume records of a long upload are not evicted.
 * Resolves whether it is granted, or `undefined` where the API is missing. Browsers decide
 * silently (Chromium from site engagement, Firefox may prompt); asking again is harmless.
 */
export async function requestPersistentStorage(): Promise<boolean | undefined> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.persist) return undefined;
  try {
    if (await storage.persisted?.()) return true;
    return await storage.persist();
  } catch {
    return undefined;
  }
}
