import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SpaSite {
  /** URL prefix with trailing slash, e.g. `/wallet/`. */
  base: string;
  /** Absolute path of the built app (Vite's `dist`). */
  root: string;
  /** Human name for the "not built" page. */
  name: string;
  /** npm workspace that builds it, for the "not built" page. */
  workspace: string;
}

/** Vite's content-hashed output: safe to cache for a year. */
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
/** A path that names a file: a missing one is a 404, never the app's index.html. */
const LOOKS_LIKE_FILE = /\.[A-Za-z0-9]{1,8}$/;

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What a person sees when the app has not been built: what to run, not a bare 404. */
export function notBuiltPage(site: SpaSite): string {
  const name = escapeHtml(site.name);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} is not built yet</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1.25rem;line-height:1.5}
code{background:#8882;padding:.1em .35em;border-radius:4px}</style></head>
<body><h1>${name} is not built yet</h1>
<p>The platform serves the ${name} from <code>${escapeHtml(site.root)}</code>, which has no <code>index.html</code>.</p>
<p>Build it from the repository root with <code>npm run build</code> (or only the web apps with
<code>npm run build:web</code>, or this one with <code>npm run build -w ${escapeHtml(site.workspace)}</code>), then reload.</p>
</body></html>
`;
}

/**
 * Serves a built single-page app under `site.base`: real files from `site.root` (hashed assets
 * cached for a year, anything else briefly), `index.html` — never cached — for every other path so
 * deep links such as `/wallet/bindings/callback?…` work; path traversal is impossible (the path is
 * normalised and must stay inside the root).
 */
export function createSpaHandler(site: SpaSite) {
  const index = path.join(site.root, 'index.html');
  return async function serveSpa(request: FastifyRequest, reply: FastifyReply) {
    const wildcard = (request.params as { '*'?: string })['*'] ?? '';
    const relative = path.posix.normalize(`/${wildcard}`).slice(1);
    const file = path.join(site.root, relative);
    const inside = file === site.root || file.startsWith(site.root + path.sep);

    if (!(await isFile(index))) {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .type('text/html; charset=utf-8')
        .send(notBuiltPage(site));
    }
    if (inside && relative && relative !== 'index.html' && !relative.includes('\0') && (await isFile(file))) {
      const cache = HASHED_ASSET.test(relative)
        ? 'public, max-age=31536000, immutable'
        : 'public, max-age=300';
      reply.header('cache-control', cache);
      return reply.sendFile(relative, site.root, { cacheControl: false });
    }
    if (LOOKS_LIKE_FILE.test(relative)) {
      return reply
        .code(404)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send('Not found');
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', site.root, { cacheControl: false });
  };
}
