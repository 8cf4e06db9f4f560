import { Controller, UseGuards, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { MAX_PURPOSE_LENGTH } from '@backbone/contracts';
import { AllowedPrincipals, ApiKeyGuard } from '@backbone/http';
import { AuditAccessInterceptor } from './audit-access.interceptor';
import { MIN_PURPOSE_LENGTH } from './audit-purpose';

/**
 * A controller under `/v1/audit`: auditors only (anyone else gets 403), every request
 * states a purpose and is recorded as `audit.accessed.v1`. One decorator, so no audit route can
 * be added without all three.
 */
export const AuditController = () =>
  applyDecorators(
    Controller('v1/audit'),
    UseGuards(ApiKeyGuard),
    AllowedPrincipals('auditor'),
    UseInterceptors(AuditAccessInterceptor),
    ApiTags('audit'),
    ApiQuery({
      name: 'purpose',
      required: true,
      description: `Why you are reading this (${MIN_PURPOSE_LENGTH}–${MAX_PURPOSE_LENGTH} characters, recorded with your access; no personal details)`,
    }),
  );
