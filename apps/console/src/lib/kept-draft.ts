import type { ProgramDraft } from './program-draft.js';

/**
 * A program form's draft kept in this tab's sessionStorage while a Save is in flight (issue 11
 * item 12): if the session has ended the draft outlives the sign-in and the form restores it.
 * Keyed by operator and program ("new" for the create form), so another account signing in on
 * the same tab never sees it; a successful Save or another refusal forgets it. The logo file is
 * not kept (a file cannot be stored); everything typed is.
 */
const PREFIX = 'mycard.console.draft.v1:';

export const draftKey = (operatorId: string, channelId: string | undefined) =>
  `${PREFIX}${operatorId}:${channelId ?? 'new'}`;

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

export function keepDraft(key: string, draft: ProgramDraft): void {
  try {
    storage()?.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or blocked: the form still saves; only the safety net is missing.
  }
}

export function forgetDraft(key: string): void {
  storage()?.removeItem(key);
}

/** The kept draft (removed from storage: the form holds it now), if any and well-formed. */
export function takeDraft(key: string, shape: ProgramDraft): ProgramDraft | undefined {
  const text = storage()?.getItem(key);
  if (!text) return undefined;
  forgetDraft(key);
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const fields = Object.keys(shape) as (keyof ProgramDraft)[];
    const same = fields.every(
      (f) => typeof value[f] === typeof shape[f] && Array.isArray(value[f]) === Array.isArray(shape[f]),
    );
    return same ? (value as unknown as ProgramDraft) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether any draft of this operator-less sign-in page's tab is kept (to say so on Sign in). */
export function hasKeptDraft(): boolean {
  const s = storage();
  if (!s) return false;
  for (let i = 0; i < s.length; i++) if (s.key(i)?.startsWith(PREFIX)) return true;
  return false;
}
