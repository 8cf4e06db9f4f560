import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'express';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that can stand inside a `<script type="application/json">` without ending it. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, ' ');

export interface PageValues {
  /** `{{name}}`: text, HTML-escaped. */
  text?: Record<string, string>;
  /** `{{json:name}}`: a value as JSON, for a `<script type="application/json">` element. */
  json?: Record<string, unknown>;
  /** `{{t:key}}`: the page's words in its language, HTML-escaped. */
  translate?: (key: string) => string;
}

/**
 * Serves a web page from an HTML file with a strict Content-Security-Policy: scripts and styles
 * only with this response's nonce, requests only to this origin, forms only to this origin,
 * never framed. The pages are never cached: they say who is signed in.
 */
export class WebPages<Page extends string> {
  private readonly templates = new Map<Page, string>();

  /** `directory`: where `<page>.html` files are; each is read once per process. */
  constructor(private readonly directory: string) {}

  send(response: Response, page: Page, status: number, values: PageValues = {}): void {
    const nonce = randomBytes(16).toString('base64');
    let html = this.template(page).replaceAll('{{nonce}}', nonce);
    for (const [name, value] of Object.entries(values.json ?? {}))
      html = html.replaceAll(`{{json:${name}}}`, scriptJson(value));
    for (const [name, value] of Object.entries(values.text ?? {}))
      html = html.replaceAll(`{{${name}}}`, escapeHtml(value));
    const { translate } = values;
    if (translate)
      html = html.replace(/\{\{t:([\w.-]+)\}\}/g, (_, key: string) => escapeHtml(translate(key)));
    response
      .status(status)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': [
          "default-src 'none'",
          `script-src 'nonce-${nonce}'`,
          `style-src 'nonce-${nonce}'`,
          "connect-src 'self'",
          "img-src 'self' data:",
          "form-action 'self'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
        ].join('; '),
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(html);
  }

  private template(page: Page): string {
    let text = this.templates.get(page);
    if (text === undefined) {
      text = readFileSync(join(this.directory, `${page}.html`), 'utf8');
      this.templates.set(page, text);
    }
    return text;
  }
}
