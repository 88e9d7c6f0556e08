/**
 * The comparison key of a program name for look-alike detection: Unicode NFKC (full-width Latin
 * `ＤＥＭＯ` → `DEMO`, half-width katakana `ﾃﾞﾓ` → `デモ`, ligatures `ﬁ` → `fi`), then full case
 * folding (upper then lower case: `ß` → `ss`, final `ς` → `σ`), then NFKC again, without white
 * space, punctuation and symbols (`Demo-Mart`, `demo mart` and `ＤＥＭＯ　ＭＡＲＴ` share one key).
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\p{White_Space}\p{P}\p{S}\p{Cf}]/gu, '');
}

export type NameMatch = 'same' | 'contains' | 'similar';

/**
 * How two names' keys resemble each other: the same key; one contains the other (the shorter at
 * least 3 characters: `Demo Mart` in `Demo Mart Official`); or an edit distance of 1 (keys of 4–7
 * characters) or 2 (8 or more). Undefined when they do not.
 */
export function compareNames(a: string, b: string): NameMatch | undefined {
  const ka = Array.from(nameKey(a));
  const kb = Array.from(nameKey(b));
  if (ka.length === 0 || kb.length === 0) return undefined;
  const sa = ka.join('');
  const sb = kb.join('');
  if (sa === sb) return 'same';
  const shorter = Math.min(ka.length, kb.length);
  if (shorter >= 3 && (sa.includes(sb) || sb.includes(sa))) return 'contains';
  const allowed = shorter >= 8 ? 2 : shorter >= 4 ? 1 : 0;
  if (allowed > 0 && Math.abs(ka.length - kb.length) <= allowed && editDistance(ka, kb, allowed) <= allowed) {
    return 'similar';
  }
  return undefined;
}

/** Levenshtein distance over code points, giving up (returning limit + 1) once it exceeds `limit`. */
function editDistance(a: string[], b: string[], limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
