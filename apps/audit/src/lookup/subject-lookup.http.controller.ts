import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { problem } from '@backbone/http';
import { Access, AuditedAs } from '../access-log/audit-access.interceptor';
import { AuditAccess } from '../access-log/audit-access';
import { AuditController } from '../access-log/audit-route.decorator';
import { SubjectLookup, parseIdentifier } from './subject-lookup';

/**
 * Finds the subject id a person's identifier maps to (CONTRACT §7). `POST` takes the identifier
 * in the body, so it stays out of URLs (proxy and server logs, browser history); `GET` with
 * `?identifier=` is kept for compatibility and discouraged (issue 22).
 */
@AuditController()
export class SubjectLookupHttpController {
  constructor(private readonly lookup: SubjectLookup) {}

  @Get('subjects')
  @AuditedAs('subject-lookup')
  @ApiQuery({ name: 'identifier', required: true, description: '<system>|<value>' })
  find(
    @Query('identifier') raw: string | undefined,
    @Access() access: AuditAccess,
  ): Promise<{ subjectId: string }> {
    return this.lookUp(raw, access);
  }

  @Post('subjects/lookup')
  @HttpCode(200)
  @AuditedAs('subject-lookup')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['identifier'],
      properties: { identifier: { type: 'string', description: '<system>|<value>' } },
    },
  })
  lookUpPosted(
    @Body() body: unknown,
    @Access() access: AuditAccess,
  ): Promise<{ subjectId: string }> {
    return this.lookUp((body as { identifier?: unknown } | undefined)?.identifier, access);
  }

  private async lookUp(raw: unknown, access: AuditAccess): Promise<{ subjectId: string }> {
    const identifier = parseIdentifier(raw);
    access.reading(this.lookup.describe(identifier));
    const subjectId = await this.lookup.find(identifier);
    if (!subjectId) {
      throw problem(404, 'Not Found', 'no subject has this identifier (or their data was erased)');
    }
    await access.disclosing(0, [subjectId]);
    return { subjectId };
  }
}
