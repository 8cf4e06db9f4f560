// `npm run schemas`: writes the contract's JSON Schemas to schemas/, where they are committed.
// A script of the repository, not of the contracts: they say what the schemas are, this says
// where the project keeps them.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@backbone/config';
import { schemaFiles } from '@backbone/contracts';

const schemasDir = join(projectRoot(), 'schemas');
const files = schemaFiles();
mkdirSync(join(schemasDir, 'events'), { recursive: true });
for (const [file, text] of Object.entries(files)) writeFileSync(join(schemasDir, file), text);
process.stdout.write(`wrote ${Object.keys(files).length} schemas to ${schemasDir}\n`);
