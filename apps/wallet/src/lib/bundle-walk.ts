/**
 * The walk through a campaign bundle (PROTOCOL.md §9), kept in this tab's sessionStorage: which
 * bundle a binding was started from (so the callback returns to the bundle), and the cards the
 * person skipped (so the walk moves on to the next one). Nothing here is a secret or a permission:
 * the platform checks every reservation on its own.
 */
const CURRENT = 'mycard.bundleWalk';
const SKIPPED = 'mycard.bundleSkipped.';

export interface BundleStep {
  bundleId: string;
  channelId: string;
}

function read<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode without storage: the walk still works, it only forgets between pages.
  }
}

/** Before leaving for a merchant's binding page from a bundle. */
export function startBundleStep(step: BundleStep): void {
  write(CURRENT, step);
}

/** The bundle a callback for `channelId` belongs to, if the binding was started from one. */
export function bundleStepFor(channelId: string): BundleStep | undefined {
  const step = read<BundleStep>(CURRENT);
  return step && step.channelId === channelId && typeof step.bundleId === 'string' ? step : undefined;
}

export function endBundleStep(): void {
  write(CURRENT, undefined);
}

export function skippedCards(bundleId: string): string[] {
  const list = read<unknown>(SKIPPED + bundleId);
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

export function setSkippedCards(bundleId: string, channelIds: string[]): void {
  write(SKIPPED + bundleId, channelIds);
}
