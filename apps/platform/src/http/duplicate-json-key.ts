/**
 * The first object key that appears twice in one object of `text` (already valid JSON), or
 * undefined. Keys are compared decoded (`"a"` and `"\u0061"` are the same key). JSON.parse keeps
 * the last of duplicate keys while other parsers keep the first, so a proxy or a merchant library
 * could see another body than the platform: such a body is refused (2101, issue 9.8).
 */
export function findDuplicateJsonKey(text: string): string | undefined {
  const objects: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      let escaped = false;
      let escapes = false;
      for (; j < text.length; j++) {
        const d = text[j];
        if (escaped) escaped = false;
        else if (d === '\\') escaped = escapes = true;
        else if (d === '"') break;
      }
      const top = objects.at(-1);
      if (expectKey && top) {
        // Decoded only when it holds an escape (issue 10: a JSON.parse per key).
        const key = escapes ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.has(key)) return key;
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      objects.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      objects.push(null);
    } else if (c === '}' || c === ']') {
      objects.pop();
    } else if (c === ',') {
      expectKey = objects.at(-1) instanceof Set;
    }
  }
  return undefined;
}
