import { createHash } from 'node:crypto';
import type { Sector } from '@backbone/contracts';
import type { AgencyEntry, DirectoryFile } from './directory-file';

export type PrincipalKind = 'agency' | 'auditor' | 'operator';

export interface Principal {
  kind: PrincipalKind;
  id: string;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Who takes part in the backbone: agencies, auditors and operators, found by id or API key. */
export class Directory {
  private readonly agenciesById: Map<string, AgencyEntry>;
  private readonly principalsByKeyHash = new Map<string, Principal>();

  constructor(file: DirectoryFile) {
    this.agenciesById = new Map(file.agencies.map((agency) => [agency.id, agency]));
    const register = (
      kind: PrincipalKind,
      entries: { id: string; apiKeySha256: string[] }[],
    ): void => {
      for (const entry of entries) {
        for (const hash of entry.apiKeySha256)
          this.principalsByKeyHash.set(hash, { kind, id: entry.id });
      }
    };
    register('agency', file.agencies);
    register('auditor', file.auditors);
    register('operator', file.operators);
  }

  agency(id: string): AgencyEntry | undefined {
    return this.agenciesById.get(id);
  }

  agencies(): AgencyEntry[] {
    return [...this.agenciesById.values()];
  }

  agenciesInSector(sector: Sector | undefined): AgencyEntry[] {
    return this.agencies().filter((agency) => sector === undefined || agency.sector === sector);
  }

  /** The principal holding this API key, if any. */
  authenticate(apiKey: string): Principal | undefined {
    return this.principalsByKeyHash.get(sha256Hex(apiKey));
  }
}
