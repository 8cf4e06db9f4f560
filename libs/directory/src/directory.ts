import { createHash } from 'node:crypto';
import type { Sector } from '@backbone/contracts';
import type { AgencyEntry, DirectorEntry, DirectoryFile } from './directory-file';

export type PrincipalKind = 'agency' | 'auditor' | 'operator' | 'director';

/** An agency, an auditor or an operator: what each may do follows from its kind and id alone. */
export interface UnscopedPrincipal {
  kind: Exclude<PrincipalKind, 'director'>;
  id: string;
}

/** A director (CONTRACT §8): sees the flows of the agencies of its scope, and no others. */
export interface DirectorPrincipal {
  kind: 'director';
  id: string;
  /** The agencies this director may see: never empty, each one in the directory. */
  agencies: readonly string[];
}

/**
 * Who is calling. A union, so that a director's scope cannot be missing and no other kind can
 * carry one: code reads `agencies` only after checking `kind === 'director'`.
 */
export type Principal = UnscopedPrincipal | DirectorPrincipal;

export const isDirector = (principal: Principal): principal is DirectorPrincipal =>
  principal.kind === 'director';

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

interface Entries {
  agenciesById: Map<string, AgencyEntry>;
  directorsById: Map<string, DirectorEntry>;
  principalsByKeyHash: Map<string, Principal>;
  principalsById: Map<string, Principal>;
}

function index(file: DirectoryFile): Entries {
  const principalsByKeyHash = new Map<string, Principal>();
  const principalsById = new Map<string, Principal>();
  const register = <E extends { id: string; apiKeySha256: string[] }>(
    entries: E[],
    principalOf: (entry: E) => Principal,
  ): void => {
    for (const entry of entries) {
      const principal = principalOf(entry);
      principalsById.set(entry.id, principal);
      for (const hash of entry.apiKeySha256) principalsByKeyHash.set(hash, principal);
    }
  };
  const directors = file.directors ?? [];
  register(file.agencies, ({ id }) => ({ kind: 'agency', id }));
  register(file.auditors, ({ id }) => ({ kind: 'auditor', id }));
  register(file.operators, ({ id }) => ({ kind: 'operator', id }));
  // Frozen: one principal object serves every request made with its key.
  register(directors, ({ id, agencies }) => ({
    kind: 'director',
    id,
    agencies: Object.freeze([...agencies]),
  }));
  return {
    agenciesById: new Map(file.agencies.map((agency) => [agency.id, agency])),
    directorsById: new Map(directors.map((director) => [director.id, director])),
    principalsByKeyHash,
    principalsById,
  };
}

/**
 * Who takes part in the backbone: agencies, auditors, operators and directors, found by id or
 * API key.
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

  directors(): DirectorEntry[] {
    return [...this.entries.directorsById.values()];
  }

  /** The agencies director `id` may see; none for an id that is not a director's. */
  agenciesOfDirector(id: string): readonly string[] {
    return this.entries.directorsById.get(id)?.agencies ?? [];
  }

  /** The principal with this id (ids are unique across every kind), while the directory lists it. */
  principal(id: string): Principal | undefined {
    return this.entries.principalsById.get(id);
  }

  /** The principal holding this API key, if any. */
  authenticate(apiKey: string): Principal | undefined {
    return this.entries.principalsByKeyHash.get(sha256Hex(apiKey));
  }
}
