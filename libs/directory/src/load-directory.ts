import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { validateAgainst } from '@backbone/contracts';
import { Directory } from './directory';
import { DirectoryFile } from './directory-file';

export class DirectoryFileError extends Error {}

import demoDirectory from './demo/demo-directory.json';
import demoKeys from './demo/demo-keys.json';

/** The plaintext keys of the demo directory, printed by `npm start`. Never use them in production. */
export const DEMO_API_KEYS: Readonly<Record<string, string>> = demoKeys;

function duplicateIds(entries: { id: string }[]): string[] {
  const seen = new Set<string>();
  return entries.filter(({ id }) => seen.has(id) || !seen.add(id)).map(({ id }) => id);
}

/** A director names only agencies of the same file: a misspelt id would quietly narrow its scope. */
function unknownAgenciesOfDirectors(
  agencies: { id: string }[],
  directors: { id: string; agencies: string[] }[],
): string[] {
  const known = new Set(agencies.map(({ id }) => id));
  return directors.flatMap(({ id, agencies: scope }, index) => {
    const unknown = scope.filter((agency) => !known.has(agency));
    return unknown.length
      ? [`directors[${index}] (id "${id}"): agencies not in the directory: ${unknown.join(', ')}`]
      : [];
  });
}

/** Validates a parsed directory document; errors name the bad entry by index and id. */
export function parseDirectoryFile(document: unknown, origin = 'directory'): DirectoryFile {
  const { value, errors } = validateAgainst(DirectoryFile, document);
  if (!value) {
    const raw = document as Record<string, { id?: unknown }[] | undefined>;
    const described = errors.map(({ path, message }) => {
      const [list, index] = path.split('.');
      const entry = raw?.[list]?.[Number(index)];
      if (entry === undefined) return `${path}: ${message}`;
      const id = typeof entry.id === 'string' ? ` (id "${entry.id}")` : '';
      return `${list}[${index}]${id}: ${message}`;
    });
    throw new DirectoryFileError(`${origin} is invalid:\n  ${described.join('\n  ')}`);
  }
  const directors = value.directors ?? [];
  const everyone = [...value.agencies, ...value.auditors, ...value.operators, ...directors];
  const duplicates = duplicateIds(everyone);
  if (duplicates.length) {
    throw new DirectoryFileError(`${origin} is invalid: ids used twice: ${duplicates.join(', ')}`);
  }
  const unknown = unknownAgenciesOfDirectors(value.agencies, directors);
  if (unknown.length)
    throw new DirectoryFileError(`${origin} is invalid:\n  ${unknown.join('\n  ')}`);
  return value;
}

export const parseDirectory = (document: unknown, origin = 'directory'): Directory =>
  new Directory(parseDirectoryFile(document, origin));

/** Reads and validates a directory file. */
export function readDirectoryFile(file: string): DirectoryFile {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DirectoryFileError(`cannot read directory ${file}: ${(error as Error).message}`);
  }
  return parseDirectoryFile(document, file);
}

/** Loads the directory file, or the demo directory when no file is given. */
export function loadDirectory(file?: string): Directory {
  return file === undefined
    ? parseDirectory(demoDirectory, 'demo directory')
    : new Directory(readDirectoryFile(file));
}

/**
 * Whether the file is the demo directory (or a copy of it): what only development tools that
 * make synthetic data (the demo seeder) accept.
 */
export function isDemoDirectoryFile(file: string): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(readFileSync(file, 'utf8')), demoDirectory);
  } catch {
    return false;
  }
}
