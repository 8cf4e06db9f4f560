// `npm run schemas`: writes the contract's JSON Schemas to schemas/, where they are committed.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@backbone/config';
import { buildContractSchemas } from './contract-schemas';

export const SCHEMAS_DIR = join(projectRoot(), 'schemas');

export function schemaFiles(): Record<string, string> {
  const { commands } = buildContractSchemas();
  return Object.fromEntries(
    Object.entries(commands).map(([type, schema]) => [
      `${type}.schema.json`,
      `${JSON.stringify(schema, null, 2)}\n`,
    ]),
  );
}

if (require.main === module) {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const [file, text] of Object.entries(schemaFiles()))
    writeFileSync(join(SCHEMAS_DIR, file), text);
  process.stdout.write(`wrote ${Object.keys(schemaFiles()).length} schemas to ${SCHEMAS_DIR}\n`);
}
