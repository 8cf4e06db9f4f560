export * from './storable-text';
export * from './json-shape';
export * from './real-timestamp';
export * from './field-errors';
