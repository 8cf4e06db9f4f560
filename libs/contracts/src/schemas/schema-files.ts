import { buildContractSchemas } from './contract-schemas';

/** Every schema file's text by its path below schemas/: commands at the top, events in events/. */
export function schemaFiles(): Record<string, string> {
  const { commands, events } = buildContractSchemas();
  const text = (schema: unknown): string => `${JSON.stringify(schema, null, 2)}\n`;
  return {
    ...Object.fromEntries(
      Object.entries(commands).map(([type, schema]) => [`${type}.schema.json`, text(schema)]),
    ),
    ...Object.fromEntries(
      Object.entries(events).map(([type, schema]) => [`events/${type}.schema.json`, text(schema)]),
    ),
  };
}
