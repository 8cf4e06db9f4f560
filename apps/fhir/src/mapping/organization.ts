// An agency of the directory as a FHIR R4 Organization: what every agency may know of another
// (its id, name and sector), never its keys or settings.
import type { Organization } from '@medplum/fhirtypes';
import type { AgencyEntry } from '@backbone/directory';
import { SYSTEMS, concept } from './fhir-systems';

export function toOrganization(agency: Pick<AgencyEntry, 'id' | 'name' | 'sector'>): Organization {
  return {
    resourceType: 'Organization',
    id: agency.id,
    identifier: [{ system: SYSTEMS.agencyId, value: agency.id }],
    active: true,
    type: [concept([{ system: SYSTEMS.sector, code: agency.sector }])],
    name: agency.name,
  };
}
