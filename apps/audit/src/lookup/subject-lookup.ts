import { Inject, Injectable } from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { SubjectRegistry } from '@backbone/data-protection';
import { identifierKey } from '@backbone/domain';
import { problem } from '@backbone/http';

export interface PersonIdentifier {
  system: string;
  value: string;
}

/** `<system>|<value>`, split at the first `|` as FHIR token searches are. */
export function parseIdentifier(raw: unknown): PersonIdentifier {
  const text = typeof raw === 'string' ? raw : '';
  const bar = text.indexOf('|');
  const system = text.slice(0, bar).trim();
  const value = text.slice(bar + 1).trim();
  if (bar < 1 || !system || !value || text.length > 500) {
    throw problem(
      400,
      'Bad Request',
      'identifier must be <system>|<value>, e.g. dk-cpr|0101125678',
    );
  }
  return { system, value };
}

/**
 * Finds the pseudonymous subject an identifier maps to, through the registry the sector service
 * links identifiers in (by their keyed hash, libs/domain identifierKey): the raw identifier is
 * never stored, and the record of the lookup names it only by that hash.
 */
@Injectable()
export class SubjectLookup {
  constructor(
    private readonly registry: SubjectRegistry,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  /** How the access record names an identifier: its system and the keyed hash of it. */
  describe(identifier: PersonIdentifier): string {
    return `identifier:${identifier.system}|${identifierKey(this.config.subjectIdKey, identifier)}`;
  }

  find(identifier: PersonIdentifier): Promise<string | undefined> {
    return this.registry.find(identifier);
  }
}
