import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DirectorPrincipal, Directory, isDirector } from '@backbone/directory';
import { SessionAuthenticator, WebSignIn } from '@backbone/http';
import { InsightsPages } from './insights-pages';
import { PAGE_LANGUAGES, PageLanguage, languageCookie, pageLanguage } from './page-language';
import { PAGE_TRANSLATIONS, REASON_CODE_LABELS, translatorFor } from './page-translations';

/** `selected` on the option of the page's language, for the language switch. */
const selectedOptions = (language: PageLanguage): Record<string, string> =>
  Object.fromEntries(
    PAGE_LANGUAGES.map((option) => [`selected-${option}`, option === language ? 'selected' : '']),
  );

/**
 * `GET /insights`: the directors' page to a signed-in director, in the language chosen
 * (`?lang=`, remembered in a cookie), remembered, or asked for by Accept-Language; otherwise
 * the sign-in form, answered `401` (`403` to another principal's key), so that nothing of the
 * page is served without a session. The page's script fetches the figures from
 * `/v1/insights/*` with the session. `POST /insights/session` signs in, `…/end` out.
 */
@ApiExcludeController()
@Controller('insights')
export class InsightsPageHttpController {
  constructor(
    private readonly authenticator: SessionAuthenticator,
    private readonly signIn: WebSignIn,
    private readonly pages: InsightsPages,
    private readonly directory: Directory,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response): Promise<void> {
    const { language, chosen } = pageLanguage(request);
    if (chosen) response.append('Set-Cookie', languageCookie(language, request));
    const result = await this.authenticator.authenticate(request);
    if (result.kind === 'signed-in' && isDirector(result.principal)) {
      this.sendPage(response, result.principal, language);
      return;
    }
    const forbidden = result.kind === 'forbidden' || result.kind === 'cross-origin';
    this.sendSignIn(response, language, forbidden ? 403 : 401, forbidden ? 'notDirector' : '');
  }

  @Post('session')
  async start(
    @Body() body: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { language } = pageLanguage(request);
    const result = await this.signIn.signIn(request, (body as { key?: unknown } | undefined)?.key);
    switch (result.kind) {
      case 'signed-in':
        response
          .status(303)
          .set({ Location: '/insights', 'Cache-Control': 'no-store' })
          .append('Set-Cookie', result.setCookie)
          .end();
        return;
      case 'unknown-key':
        this.sendSignIn(response, language, 401, 'unknownKey');
        return;
      case 'forbidden':
      case 'cross-origin':
        this.sendSignIn(response, language, 403, 'notDirector');
        return;
    }
  }

  @Post('session/end')
  async end(@Req() request: Request, @Res() response: Response): Promise<void> {
    const result = await this.signIn.signOut(request);
    if (result.kind !== 'signed-out') {
      const { language } = pageLanguage(request);
      this.sendSignIn(response, language, result.kind === 'forbidden' ? 403 : 401, '');
      return;
    }
    response.status(303).set({ Location: '/insights' }).append('Set-Cookie', result.setCookie);
    response.end();
  }

  private sendPage(response: Response, director: DirectorPrincipal, language: PageLanguage): void {
    // Names of the director's own agencies only: the page names no agency outside its scope.
    const agencyNames = Object.fromEntries(
      director.agencies.map((id) => [id, this.directory.agency(id)?.name ?? id]),
    );
    this.pages.send(response, 'insights', 200, {
      text: { director: director.id, language, ...selectedOptions(language) },
      json: {
        page: { language, director: director.id, agencyNames },
        translations: PAGE_TRANSLATIONS,
        reasonLabels: REASON_CODE_LABELS,
      },
      translate: translatorFor(language),
    });
  }

  /** `message`: the key of what to tell the visitor under `signIn.`, or none. */
  private sendSignIn(
    response: Response,
    language: PageLanguage,
    status: number,
    message: '' | 'unknownKey' | 'notDirector',
  ): void {
    const translate = translatorFor(language);
    this.pages.send(response, 'sign-in', status, {
      text: {
        language,
        message: message ? translate(`signIn.${message}`) : '',
        ...selectedOptions(language),
      },
      translate,
    });
  }
}
