/** The media type of every /fhir answer (FHIR R4 JSON). */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
