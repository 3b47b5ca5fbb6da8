import { randomBytes } from 'node:crypto';
import { httpRequest, type HttpResponse } from '@vitrine/testing';
import type { RunningApp } from './test-app';

/** The demo users' password in development and test (tenants/*\/tenant.yaml users). */
export const DEMO_PASSWORD = 'vitrine-demo-only';

/**
 * A browser without JavaScript: keeps its cookies per host as set, sends `Accept: text/html`,
 * posts forms urlencoded or as multipart (file uploads).
 */
export class SiteVisitor {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly api: () => RunningApp,
    readonly host: string,
  ) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.keep(
      await httpRequest(this.api().port, {
        host: this.host,
        path,
        headers: { accept: 'text/html', cookie: this.cookieHeader, ...headers },
      }),
    );
  }

  /** A urlencoded form POST; a list value repeats its field (checkboxes, multi-selects). */
  async post(
    path: string,
    form: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form))
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.keep(
      await httpRequest(this.api().port, {
        host: this.host,
        method: 'POST',
        path,
        headers: {
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          cookie: this.cookieHeader,
          ...headers,
        },
        body: body.toString(),
      }),
    );
  }

  /** A multipart/form-data POST with text fields and at most one file. */
  async postMultipart(
    path: string,
    fields: Record<string, string>,
    file?: { field: string; filename: string; type: string; data: Buffer },
  ): Promise<HttpResponse> {
    const boundary = `----vitrine${randomBytes(8).toString('hex')}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries(fields))
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        ),
      );
    if (file)
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
        ),
        file.data,
        Buffer.from('\r\n'),
      );
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.keep(
      await httpRequest(this.api().port, {
        host: this.host,
        method: 'POST',
        path,
        headers: {
          accept: 'text/html',
          'content-type': `multipart/form-data; boundary=${boundary}`,
          cookie: this.cookieHeader,
        },
        body: Buffer.concat(parts),
      }),
    );
  }

  /** The CSRF token of the forms on a page. */
  async csrf(path = '/login'): Promise<string> {
    const res = await this.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (!token) throw new Error(`No CSRF token on ${path} (${res.status})`);
    return token;
  }

  /** Submits the login form (with its CSRF token) and returns the answer, whatever it is. */
  async submitLogin(email: string, password = DEMO_PASSWORD, next?: string): Promise<HttpResponse> {
    const _csrf = await this.csrf('/login');
    return this.post('/login', { _csrf, email, password, ...(next !== undefined ? { next } : {}) });
  }

  /** Signs in with the login form; throws unless it worked. */
  async login(email: string, password = DEMO_PASSWORD): Promise<this> {
    const res = await this.submitLogin(email, password);
    if (res.status !== 303 || !this.cookies.has('vitrine_session'))
      throw new Error(`Sign-in of ${email} on ${this.host} failed: ${res.status}`);
    return this;
  }

  private keep(res: HttpResponse): HttpResponse {
    const raw = res.headers['set-cookie'];
    for (const c of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
      const [pair] = c.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

/** The visible text of an HTML page (tags dropped, entities of the usual kind decoded). */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/\s+/g, ' ');
}
