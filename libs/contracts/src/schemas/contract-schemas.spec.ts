import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_DATA_CLASSES } from '../command-types';
import { buildContractSchemas } from './contract-schemas';
import { schemaFiles } from './schema-files';

/** Where the project commits them (`npm run schemas`, infra/schemas/write-schemas.ts). */
const SCHEMAS_DIR = join(__dirname, '..', '..', '..', '..', 'schemas');

describe('contract JSON Schemas', () => {
  it('has one schema per command type, generated from the validation classes', () => {
    const { commands } = buildContractSchemas();
    expect(Object.keys(commands).sort()).toEqual(Object.keys(COMMAND_DATA_CLASSES).sort());
    const make = commands['referral.make.v1'] as {
      properties: Record<string, unknown>;
      required: string[];
      definitions: Record<string, { properties: Record<string, unknown>; required: string[] }>;
    };
    expect(make.properties.type).toEqual({ const: 'referral.make.v1' });
    expect(make.required).toEqual(
      expect.arrayContaining(['specversion', 'id', 'source', 'type', 'time', 'subject', 'data']),
    );
    const data = make.definitions.MakeReferralV1;
    expect(data.required).toEqual(
      expect.arrayContaining([
        'referralId',
        'to',
        'category',
        'priority',
        'reason',
        'subject',
        'lawfulBasis',
      ]),
    );
    expect(data.properties.priority).toMatchObject({ enum: ['routine', 'urgent', 'asap', 'stat'] });
  });

  it('matches the schemas committed under schemas/ (run `npm run schemas` after changing a contract)', () => {
    const files = schemaFiles();
    const committed = [
      ...readdirSync(SCHEMAS_DIR).filter((name) => name.endsWith('.json')),
      ...readdirSync(join(SCHEMAS_DIR, 'events')).map((name) => `events/${name}`),
    ];
    expect(committed.sort()).toEqual(Object.keys(files).sort());
    for (const [file, text] of Object.entries(files)) {
      expect(readFileSync(join(SCHEMAS_DIR, file), 'utf8')).toBe(text);
    }
  });
});
