import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig, DEFAULTS } from '@backbone/config';
import { rootLogger } from '@backbone/observability';
import { signContent } from './bundle-signature';
import type { BundleContent, BundleSignature } from './evidence-bundle';
import { PublicSigningKey, SigningKey, parseSigningKey } from './signing-key';

/** Signs evidence bundles with the backbone's key (AUDIT_SIGNING_KEY). */
@Injectable()
export class EvidenceSigner implements OnModuleInit {
  private readonly key: SigningKey;

  constructor(@Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig) {
    this.key = parseSigningKey(config.auditSigningKey);
  }

  onModuleInit(): void {
    if (this.config.auditSigningKey === DEFAULTS.AUDIT_SIGNING_KEY) {
      rootLogger.warn(
        { component: 'audit' },
        'signing evidence bundles with the public development key (AUDIT_SIGNING_KEY): set a secret one outside development',
      );
    }
  }

  get publicKey(): PublicSigningKey {
    return this.key.published;
  }

  sign(content: BundleContent): BundleSignature {
    return {
      alg: 'EdDSA',
      kid: this.key.published.kid,
      publicKey: this.key.published,
      signed: 'canonical JSON (sorted keys, no whitespace) of content, UTF-8',
      value: signContent(content, this.key.privateKey),
    };
  }
}
