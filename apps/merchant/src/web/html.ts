/**
 * Auto-escaping HTML templates. Every interpolated value is escaped unless it is itself the result
 * of `html` (or `unsafeRaw`, for constants only); arrays are joined; null/undefined/false vanish.
 * Attributes must be quoted in the template (`href="${url}"`), which escaping of `"` `'` keeps safe.
 *
 * @example
 * ```ts
 * const name = '<script>';
 * html`<p title="${name}">${name}</p>`.toString(); // <p title="&lt;script&gt;">&lt;script&gt;</p>
 * ```
 */
export class SafeHtml {
  constructor(private readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  // A tagged template always has one more string than values.
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks a trusted constant as HTML. Never pass user input. */
export function unsafeRaw(text: string): SafeHtml {
  return new SafeHtml(text);
}
