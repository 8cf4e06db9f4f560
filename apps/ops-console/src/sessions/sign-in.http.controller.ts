import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Directory, sha256Hex } from '@backbone/directory';
import { rootLogger } from '@backbone/observability';
import { ConsolePages } from '../web/console-pages';
import { OperatorAuthenticator } from './operator-authenticator';
import { OperatorSessions } from './operator-sessions';
import { clearedSessionCookie, sessionCookie, sessionTokenFrom } from './session-cookie';

const overHttps = (request: Request): boolean =>
  request.secure || request.headers['x-forwarded-proto'] === 'https';

/**
 * The sign-in form's target and sign-out. An operator's key opens a session; an agency's or an
 * auditor's key is refused (`403`), an unknown one too (`401`). The key itself is never kept.
 */
@ApiExcludeController()
@Controller('ops/session')
export class SignInHttpController {
  private readonly logger = rootLogger.child({ component: 'ops-console' });

  constructor(
    private readonly directory: Directory,
    private readonly sessions: OperatorSessions,
    private readonly authenticator: OperatorAuthenticator,
    private readonly pages: ConsolePages,
  ) {}

  @Post()
  async signIn(
    @Body() body: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const given = (body as { key?: unknown } | undefined)?.key;
    const key = typeof given === 'string' ? given.trim() : '';
    const principal = key ? this.directory.authenticate(key) : undefined;
    if (!principal) {
      this.pages.send(response, 'sign-in', 401, { message: 'That key is not known.' });
      return;
    }
    if (principal.kind !== 'operator') {
      this.logger.warn({ principal }, 'refused a console sign-in: not an operator');
      this.pages.send(response, 'sign-in', 403, {
        message: 'Only operators may use the ops console.',
      });
      return;
    }
    const { token } = await this.sessions.start(principal.id, sha256Hex(key));
    this.logger.info({ operator: principal.id }, 'operator signed in to the console');
    response
      .status(303)
      .set({
        'Set-Cookie': sessionCookie(token, this.sessions.lifetimeSeconds, overHttps(request)),
        Location: '/ops',
        'Cache-Control': 'no-store',
      })
      .end();
  }

  /** Ends the session in the database too: a copied cookie stops working at once. */
  @Post('end')
  async signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    const result = await this.authenticator.authenticate(request);
    const token = sessionTokenFrom(request.headers.cookie);
    if (result.kind !== 'operator' || result.via !== 'session' || !token) {
      const forbidden = result.kind === 'forbidden' || result.kind === 'cross-origin';
      this.pages.send(response, 'sign-in', forbidden ? 403 : 401, { message: '' });
      return;
    }
    await this.sessions.end(token);
    response
      .status(303)
      .set({ 'Set-Cookie': clearedSessionCookie(overHttps(request)), Location: '/ops' })
      .end();
  }
}
