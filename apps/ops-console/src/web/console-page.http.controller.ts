import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SessionAuthenticator } from '@backbone/http';
import { ConsolePages } from './console-pages';

/**
 * `GET /ops`: the console to a signed-in operator; otherwise the sign-in form, answered `401`
 * (or `403` to another principal's key), so that no console content is served without a
 * session. A web page, not part of the API document.
 */
@ApiExcludeController()
@Controller('ops')
export class ConsolePageHttpController {
  constructor(
    private readonly authenticator: SessionAuthenticator,
    private readonly pages: ConsolePages,
  ) {}

  @Get()
  async console(@Req() request: Request, @Res() response: Response): Promise<void> {
    const result = await this.authenticator.authenticate(request);
    if (result.kind === 'signed-in') {
      this.pages.send(response, 'console', 200, { text: { operator: result.principal.id } });
      return;
    }
    const forbidden = result.kind === 'forbidden' || result.kind === 'cross-origin';
    this.pages.send(response, 'sign-in', forbidden ? 403 : 401, {
      text: { message: forbidden ? 'Only operators may use the ops console.' : '' },
    });
  }
}
