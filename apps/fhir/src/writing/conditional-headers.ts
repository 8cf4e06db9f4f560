// The conditional headers of FHIR writes: If-Match names the Task version an update was made
// against, If-None-Exist the identifier a create must not repeat.
import { FhirError } from '../fhir-error';

/** The version of `W/"3"` (or `"3"`); undefined when there is no If-Match. */
export function versionOfIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"([1-9]\d{0,8})"$/.exec(header.trim());
  if (!match) {
    throw new FhirError(400, 'If-Match must be a Task version as W/"<versionId>"', 'If-Match');
  }
  return Number(match[1]);
}

/** The ETag of a Task version, as If-Match takes it back. */
export const etagOf = (version: number): string => `W/"${version}"`;

export interface TokenIdentifier {
  system: string;
  value: string;
}

/** `identifier=<system>|<value>`, the one search If-None-Exist may carry here. */
export function identifierOfIfNoneExist(criteria: string | undefined): TokenIdentifier | undefined {
  if (criteria === undefined) return undefined;
  const params = new URLSearchParams(criteria.replace(/^\?/, '').replace(/^Task\?/, ''));
  const names = [...params.keys()];
  const token = params.get('identifier');
  const bar = token?.indexOf('|') ?? -1;
  if (names.length !== 1 || names[0] !== 'identifier' || token === null || bar <= 0) {
    throw new FhirError(
      400,
      'If-None-Exist takes one search parameter here: identifier=<system>|<value>',
      'If-None-Exist',
    );
  }
  const identifier = { system: token.slice(0, bar), value: token.slice(bar + 1) };
  if (!identifier.value) {
    throw new FhirError(400, 'the identifier of If-None-Exist has no value', 'If-None-Exist');
  }
  return identifier;
}
