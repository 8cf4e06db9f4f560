import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { WebSignIn } from '@backbone/http';
import { ConsolePages } from '../web/console-pages';

/**
 * The sign-in form's target and sign-out. An operator's key opens a session; any other
 * principal's key is refused (`403`), an unknown one too (`401`), and so is a form posted from
 * another site's page (`403`). The key itself is never kept.
 */
@ApiExcludeController()
@Controller('ops/session')
export class SignInHttpController {
  constructor(
    private readonly signIn: WebSignIn,
    private readonly pages: ConsolePages,
  ) {}

  @Post()
  async start(
    @Body() body: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const result = await this.signIn.signIn(request, (body as { key?: unknown } | undefined)?.key);
    switch (result.kind) {
      case 'signed-in':
        response
          .status(303)
          .set({ 'Set-Cookie': result.setCookie, Location: '/ops', 'Cache-Control': 'no-store' })
          .end();
        return;
      case 'unknown-key':
        this.pages.send(response, 'sign-in', 401, { text: { message: 'That key is not known.' } });
        return;
      case 'forbidden':
      case 'cross-origin':
        this.pages.send(response, 'sign-in', 403, {
          text: { message: 'Only operators may use the ops console.' },
        });
        return;
    }
  }

  @Post('end')
  async end(@Req() request: Request, @Res() response: Response): Promise<void> {
    const result = await this.signIn.signOut(request);
    if (result.kind !== 'signed-out') {
      const status = result.kind === 'forbidden' ? 403 : 401;
      this.pages.send(response, 'sign-in', status, { text: { message: '' } });
      return;
    }
    response.status(303).set({ 'Set-Cookie': result.setCookie, Location: '/ops' }).end();
  }
}
