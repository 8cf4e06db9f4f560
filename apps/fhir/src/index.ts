export * from './fhir.module';
export * from './fhir-write.module';
