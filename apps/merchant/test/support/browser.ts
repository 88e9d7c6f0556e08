import type { FastifyInstance } from 'fastify';
import { defined } from '../../../../test-support/defined.js';
import { CookieJar } from './merchant-harness.js';

/** A browser-like client over app.inject: a cookie jar, and CSRF tokens read from pages. */
export function injectBrowser(app: FastifyInstance) {
  const jar = new CookieJar();
  let csrf = '';
  const remember = (body: string) => {
    const match = /name="_csrf" value="([^"]+)"/.exec(body);
    if (match) csrf = defined(match[1]);
  };
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: jar.header(), ...headers } });
    jar.store(res.headers['set-cookie']);
    remember(res.body);
    return res;
  };
  const post = async (url: string, form: Record<string, string>, withCsrf = true) => {
    const payload = new URLSearchParams({ ...(withCsrf ? { _csrf: csrf } : {}), ...form }).toString();
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });
    jar.store(res.headers['set-cookie']);
    remember(res.body);
    return res;
  };
  return {
    jar,
    get,
    post,
    /**
     * Posts a form as a browser does and follows the 303 to a page of this site (post/redirect/
     * get): `posted` is the POST's answer, `page` the page the browser ends up on.
     */
    async submit(url: string, form: Record<string, string>, withCsrf = true) {
      const posted = await post(url, form, withCsrf);
      const location = posted.headers.location;
      if (posted.statusCode !== 303 || typeof location !== 'string' || !location.startsWith('/')) {
        return { posted, page: posted };
      }
      return { posted, page: await get(location) };
    },
    get csrf() {
      return csrf;
    },
  };
}

export function bindUrl(q: { nonce: string; callback: string; token: string }): string {
  return `/mycard/bind?${new URLSearchParams(q).toString()}`;
}
