import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { projectRoot } from '@backbone/config';

/** The pages are plain HTML files beside this one (no build step); read once per process. */
const PAGES_DIR = join(projectRoot(), 'apps/ops-console/src/web');

export type ConsolePage = 'console' | 'sign-in';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Serves the console's pages with a strict Content-Security-Policy: scripts and styles only
 * with this response's nonce, requests only to this origin, forms only to this origin, never
 * framed. The pages are never cached: they say who is signed in.
 */
@Injectable()
export class ConsolePages {
  private readonly templates = new Map<ConsolePage, string>();

  send(
    response: Response,
    page: ConsolePage,
    status: number,
    values: Record<string, string> = {},
  ): void {
    const nonce = randomBytes(16).toString('base64');
    let html = this.template(page).replaceAll('{{nonce}}', nonce);
    for (const [name, value] of Object.entries(values))
      html = html.replaceAll(`{{${name}}}`, escapeHtml(value));
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

  private template(page: ConsolePage): string {
    let text = this.templates.get(page);
    if (text === undefined) {
      text = readFileSync(join(PAGES_DIR, `${page}.html`), 'utf8');
      this.templates.set(page, text);
    }
    return text;
  }
}
