export * from './fhir.module';
