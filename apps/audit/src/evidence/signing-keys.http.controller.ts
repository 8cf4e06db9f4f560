import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EvidenceSigner } from './evidence-signer';
import type { PublicSigningKey } from './signing-key';

/**
 * `GET /v1/signing-keys`: the public key evidence bundles are signed with, as a JSON Web Key
 * Set. Open to anyone, without a key: whoever is handed a bundle must be able to check it, and
 * a public key discloses nothing (so it lives outside `/v1/audit`, where every call is audited).
 */
@Controller('v1/signing-keys')
@ApiTags('audit')
export class SigningKeysHttpController {
  constructor(private readonly signer: EvidenceSigner) {}

  @Get()
  @ApiOperation({ summary: 'The evidence-bundle signing key (JWK Set)', security: [] })
  keys(): { keys: PublicSigningKey[] } {
    return { keys: [this.signer.publicKey] };
  }
}
