import { Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { problem } from '@backbone/http';
import { Access, AuditedAs } from '../access-log/audit-access.interceptor';
import { AuditAccess } from '../access-log/audit-access';
import { AuditController } from '../access-log/audit-route.decorator';
import { SubjectLookup, parseIdentifier } from './subject-lookup';

/** Finds the subject id a person's identifier maps to (CONTRACT §7). */
@AuditController()
export class SubjectLookupHttpController {
  constructor(private readonly lookup: SubjectLookup) {}

  @Get('subjects')
  @AuditedAs('subject-lookup')
  @ApiQuery({ name: 'identifier', required: true, description: '<system>|<value>' })
  async find(
    @Query('identifier') raw: string | undefined,
    @Access() access: AuditAccess,
  ): Promise<{ subjectId: string }> {
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
