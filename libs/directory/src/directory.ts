import { createHash } from 'node:crypto';
import type { Sector } from '@backbone/contracts';
import type { AgencyEntry, DirectoryFile } from './directory-file';

export type PrincipalKind = 'agency' | 'auditor' | 'operator';

export interface Principal {
  kind: PrincipalKind;
  id: string;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

interface Entries {
  agenciesById: Map<string, AgencyEntry>;
  principalsByKeyHash: Map<string, Principal>;
}

function index(file: DirectoryFile): Entries {
  const principalsByKeyHash = new Map<string, Principal>();
  const register = (
    kind: PrincipalKind,
    entries: { id: string; apiKeySha256: string[] }[],
  ): void => {
    for (const entry of entries) {
      for (const hash of entry.apiKeySha256) principalsByKeyHash.set(hash, { kind, id: entry.id });
    }
  };
  register('agency', file.agencies);
  register('auditor', file.auditors);
  register('operator', file.operators);
  return {
    agenciesById: new Map(file.agencies.map((agency) => [agency.id, agency])),
    principalsByKeyHash,
  };
}

/**
 * Who takes part in the backbone: agencies, auditors and operators, found by id or API key.
 * Replaced whole when the directory file changes, so no reader sees half an update.
 */
export class Directory {
  private entries: Entries;
  private readonly listeners: ((directory: Directory) => void)[] = [];

  constructor(file: DirectoryFile) {
    this.entries = index(file);
  }

  /** Takes a new version of the directory and tells everyone listening. */
  replace(file: DirectoryFile): void {
    this.entries = index(file);
    for (const listener of this.listeners) listener(this);
  }

  onChange(listener: (directory: Directory) => void): void {
    this.listeners.push(listener);
  }

  agency(id: string): AgencyEntry | undefined {
    return this.entries.agenciesById.get(id);
  }

  agencies(): AgencyEntry[] {
    return [...this.entries.agenciesById.values()];
  }

  agenciesInSector(sector: Sector | undefined): AgencyEntry[] {
    return this.agencies().filter((agency) => sector === undefined || agency.sector === sector);
  }

  /** The principal holding this API key, if any. */
  authenticate(apiKey: string): Principal | undefined {
    return this.entries.principalsByKeyHash.get(sha256Hex(apiKey));
  }
}
