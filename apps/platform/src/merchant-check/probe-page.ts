/** One response of a probe, as the check kit judges it. */
export interface ProbeHop {
  url: string;
  status: number;
  location?: string;
  referrerPolicy?: string;
  contentType?: string;
}

/** What opening the binding page with a query led to. */
export interface ProbeResult {
  hops: ProbeHop[];
  /** The last response's body (text), when it was not a redirect. */
  body: string;
  /** A redirect that left the binding page's origin (the first one), if any. */
  leftOrigin?: string;
  /** The network failed (page down, TLS, timeout). */
  error?: string;
  /** The cookies the page set, for a login script. */
  cookies: Map<string, string>;
}

const MAX_HOPS = 5;
const TIMEOUT_MS = 10_000;
const MAX_BODY = 512 * 1024;

/** `base` with the probe's parameters set (the page's own query kept, PROTOCOL.md §4.2). */
export function pageUrl(base: string, query: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const name of ['nonce', 'callback', 'token']) url.searchParams.delete(name);
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

/**
 * Opens `url` as a browser would, except that it follows redirects only within the page's origin
 * (an error page or the page's own clean URL) and stops at the first redirect that leaves it.
 */
export async function probePage(url: string, cookies = new Map<string, string>()): Promise<ProbeResult> {
  const origin = new URL(url).origin;
  const hops: ProbeHop[] = [];
  let current = url;
  for (let i = 0; i <= MAX_HOPS; i++) {
    let response: Response;
    try {
      response = await fetch(current, {
        redirect: 'manual',
        headers: {
          accept: 'text/html',
          ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      return { hops, body: '', cookies, error: err instanceof Error ? err.message : String(err) };
    }
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = response.headers.get('location') ?? undefined;
    const referrerPolicy = response.headers.get('referrer-policy') ?? undefined;
    const contentType = response.headers.get('content-type') ?? undefined;
    const hop: ProbeHop = {
      url: current,
      status: response.status,
      ...(location !== undefined ? { location: new URL(location, current).href } : {}),
      ...(referrerPolicy !== undefined ? { referrerPolicy } : {}),
      ...(contentType !== undefined ? { contentType } : {}),
    };
    hops.push(hop);
    if (response.status >= 300 && response.status < 400 && hop.location) {
      await response.body?.cancel();
      if (new URL(hop.location).origin !== origin)
        return { hops, body: '', cookies, leftOrigin: hop.location };
      current = hop.location;
      continue;
    }
    const body = (await response.text()).slice(0, MAX_BODY);
    return { hops, body, cookies };
  }
  return { hops, body: '', cookies, error: `more than ${MAX_HOPS} redirects` };
}

/** `no-referrer` from the header or from `<meta name="referrer">` of the page. */
export function sendsNoReferrer(hop: ProbeHop | undefined, body: string): boolean {
  const header = hop?.referrerPolicy?.split(',').map((p) => p.trim().toLowerCase());
  if (header?.includes('no-referrer')) return true;
  return (
    /<meta\s+[^>]*name=["']?referrer["']?[^>]*content=["']?no-referrer["']?/i.test(body) ||
    /<meta\s+[^>]*content=["']?no-referrer["']?[^>]*name=["']?referrer["']?/i.test(body)
  );
}

/** Attribute values that the browser turns into requests or navigations (links, forms, resources). */
export function linkTargets(body: string): string[] {
  const out: string[] = [];
  const pattern = /\b(?:href|src|action|formaction|srcset|data)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi;
  for (const match of body.matchAll(pattern)) out.push(match[2] ?? match[3] ?? match[4] ?? '');
  return out;
}
