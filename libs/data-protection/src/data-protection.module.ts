import { Global, Module } from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { ErasureSteps } from './erasure-steps';
import { MasterKeyring, parseMasterKey } from './master-keyring';
import { PersonalDataOpener, PersonalDataSealer } from './personal-data.services';
import { SubjectErasure } from './subject-erasure';
import { SubjectKeys } from './subject-keys';
import { SubjectRegistry } from './subject-registry';

export function masterKeyringFrom(config: BackboneConfig): MasterKeyring {
  return new MasterKeyring(
    parseMasterKey(config.masterKey, 'BACKBONE_MASTER_KEY'),
    config.retiredMasterKeys.map((spec) => parseMasterKey(spec, 'BACKBONE_RETIRED_MASTER_KEYS')),
  );
}

/** Per-subject encryption of personal data, for every service that writes or reads it. */
@Global()
@Module({
  providers: [
    { provide: MasterKeyring, inject: [BACKBONE_CONFIG], useFactory: masterKeyringFrom },
    SubjectKeys,
    PersonalDataSealer,
    PersonalDataOpener,
    SubjectErasure,
    SubjectRegistry,
    ErasureSteps,
  ],
  exports: [
    // Also seals what is secret but not personal, such as webhook signing secrets.
    MasterKeyring,
    SubjectKeys,
    PersonalDataSealer,
    PersonalDataOpener,
    SubjectErasure,
    SubjectRegistry,
    ErasureSteps,
  ],
})
export class DataProtectionModule {}
