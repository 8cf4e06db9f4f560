// `npm run schemas`: writes the contract's JSON Schemas to schemas/, where they are committed.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@backbone/config';
import { buildContractSchemas } from './contract-schemas';

export const SCHEMAS_DIR = join(projectRoot(), 'schemas');

/** Every schema file by its path below schemas/: commands at the top, events in events/. */
export function schemaFiles(): Record<string, string> {
  const { commands, events } = buildContractSchemas();
  const text = (schema: unknown): string => `${JSON.stringify(schema, null, 2)}\n`;
  return {
    ...Object.fromEntries(Object.entries(commands).map(([type, schema]) => [`${type}.schema.json`, text(schema)])),
    ...Object.fromEntries(Object.entries(events).map(([type, schema]) => [`events/${type}.schema.json`, text(schema)])),
  };
}

if (require.main === module) {
  mkdirSync(join(SCHEMAS_DIR, 'events'), { recursive: true });
  for (const [file, text] of Object.entries(schemaFiles()))
    writeFileSync(join(SCHEMAS_DIR, file), text);
  process.stdout.write(`wrote ${Object.keys(schemaFiles()).length} schemas to ${SCHEMAS_DIR}\n`);
}
