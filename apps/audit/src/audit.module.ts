import { Module } from '@nestjs/common';
import { AccessLogHttpController } from './access-log/access-log.http.controller';
import { AccessRecorder } from './access-log/access-recorder';
import { AuditAccessInterceptor } from './access-log/audit-access.interceptor';
import { EvidenceExport } from './evidence/evidence-export';
import { EvidenceHttpController } from './evidence/evidence.http.controller';
import { EvidenceSigner } from './evidence/evidence-signer';
import { SigningKeysHttpController } from './evidence/signing-keys.http.controller';
import { AuditHistories } from './histories/audit-histories';
import { HistoriesHttpController } from './histories/histories.http.controller';
import { SubjectLookup } from './lookup/subject-lookup';
import { SubjectLookupHttpController } from './lookup/subject-lookup.http.controller';
import { StreamVerificationHttpController } from './verification/stream-verification.http.controller';

/**
 * What auditors use (CONTRACT §7 `/v1/audit/*`): histories replayed from the event store as of
 * any instant, subject lookup, hash-chain verification and signed evidence bundles; every read
 * recorded as `audit.accessed.v1`. Reads only the event store and subject tables: no Kafka.
 */
@Module({
  controllers: [
    HistoriesHttpController,
    SubjectLookupHttpController,
    StreamVerificationHttpController,
    EvidenceHttpController,
    AccessLogHttpController,
    SigningKeysHttpController,
  ],
  providers: [
    AccessRecorder,
    AuditAccessInterceptor,
    AuditHistories,
    SubjectLookup,
    EvidenceSigner,
    EvidenceExport,
  ],
})
export class AuditModule {}
