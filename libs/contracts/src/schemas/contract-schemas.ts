// JSON Schemas of the contract, generated from the same class-validator classes the backbone
// validates with, for agency systems that do not write TypeScript.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { MetadataStorage, getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { COMMAND_DATA_CLASSES } from '../command-types';
import { CommandEnvelope } from '../envelope/command-envelope';
import { EVENT_DATA_CLASSES } from '../event-types';

type JsonSchema = Record<string, unknown>;

export interface ContractSchemas {
  /** One schema per command type: the envelope with that type and its `data`. */
  commands: Record<string, JsonSchema>;
  /** One schema per event type: its `data`. */
  events: Record<string, JsonSchema>;
}

const DRAFT = 'http://json-schema.org/draft-07/schema#';
const REF = /"\$ref":"#\/definitions\/([A-Za-z0-9_]+)"/g;

/** The definitions `root` needs, and only those: other loaded classes stay out of the schema. */
function reachableDefinitions(
  root: string,
  all: Record<string, JsonSchema>,
): Record<string, JsonSchema> {
  const needed = new Map<string, JsonSchema>();
  const visit = (name: string): void => {
    if (needed.has(name) || !all[name]) return;
    needed.set(name, all[name]);
    for (const [, referenced] of JSON.stringify(all[name]).matchAll(REF)) visit(referenced);
  };
  visit(root);
  return Object.fromEntries([...needed.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * A class that adds no decorator to its parent gets no definition of its own from
 * class-validator-jsonschema: it validates exactly as its nearest decorated ancestor.
 */
function definitionOf(cls: abstract new () => object, all: Record<string, JsonSchema>): JsonSchema {
  let current: unknown = cls;
  while (typeof current === 'function') {
    const { name } = current as { name: string };
    if (all[name]) return all[name];
    current = Object.getPrototypeOf(current) as unknown;
  }
  throw new Error(`no JSON Schema for ${cls.name}`);
}

/** The backbone refuses unknown properties (forbidNonWhitelisted); the schemas say so too. */
const closed = (all: Record<string, JsonSchema>): Record<string, JsonSchema> =>
  Object.fromEntries(
    Object.entries(all).map(([name, schema]) => [name, { ...schema, additionalProperties: false }]),
  );

type ContractClass = abstract new (...args: never[]) => object;
type ClassMetadatas = Map<ContractClass, { propertyName: string }[]>;

/**
 * class-validator's metadata of exactly the contract's classes: the roots, their ancestors and
 * the classes nested in them. The generator groups metadata by class name, so any other class
 * of the same name in the process-wide storage (another copy of a module, as a test runner may
 * load) would otherwise be merged into the contract's schema.
 */
function contractMetadataStorage(roots: ContractClass[]): MetadataStorage {
  const storage = getMetadataStorage();
  const all = (storage as unknown as { validationMetadatas: ClassMetadatas }).validationMetadatas;
  const wanted = new Set<ContractClass>();
  const visit = (cls: ContractClass): void => {
    for (let c = cls; typeof c === 'function' && c !== Function.prototype; ) {
      if (wanted.has(c)) return;
      wanted.add(c);
      for (const { propertyName } of all.get(c) ?? []) {
        const nested = defaultMetadataStorage.findTypeMetadata(c, propertyName)?.typeFunction();
        if (typeof nested === 'function') visit(nested as ContractClass);
      }
      c = Object.getPrototypeOf(c) as ContractClass;
    }
  };
  roots.forEach(visit);
  const view = {
    validationMetadatas: new Map([...all].filter(([target]) => wanted.has(target))),
    getTargetValidatorConstraints: (cls: ContractClass) => storage.getTargetValidatorConstraints(cls),
  };
  return view as unknown as MetadataStorage;
}

export function buildContractSchemas(): ContractSchemas {
  const roots = [
    CommandEnvelope,
    ...Object.values(COMMAND_DATA_CLASSES),
    ...Object.values(EVENT_DATA_CLASSES),
  ];
  const generated = validationMetadatasToSchemas({
    classValidatorMetadataStorage: contractMetadataStorage(roots),
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/definitions/',
  }) as Record<string, JsonSchema>;
  const definitions = closed({
    ...generated,
    ...Object.fromEntries(
      [...Object.values(COMMAND_DATA_CLASSES), ...Object.values(EVENT_DATA_CLASSES)].map((cls) => [
        cls.name,
        definitionOf(cls, generated),
      ]),
    ),
  });
  const envelope = definitions.CommandEnvelope;
  const commands: Record<string, JsonSchema> = {};
  for (const [type, dataClass] of Object.entries(COMMAND_DATA_CLASSES).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const envelopeProperties = envelope.properties as Record<string, JsonSchema>;
    commands[type] = {
      $schema: DRAFT,
      $id: `urn:referral-backbone:schema:${type}`,
      title: type,
      ...envelope,
      properties: {
        ...envelopeProperties,
        type: { const: type },
        data: { $ref: `#/definitions/${dataClass.name}` },
      },
      additionalProperties: false,
      definitions: reachableDefinitions(dataClass.name, definitions),
    };
  }
  const events: Record<string, JsonSchema> = {};
  for (const [type, dataClass] of Object.entries(EVENT_DATA_CLASSES).sort(([a], [b]) => a.localeCompare(b))) {
    // Events are the backbone's to write: the schema describes their `data`, for consumers.
    events[type] = {
      $schema: DRAFT,
      $id: `urn:referral-backbone:schema:${type}`,
      title: `${type} data`,
      $ref: `#/definitions/${dataClass.name}`,
      definitions: reachableDefinitions(dataClass.name, definitions),
    };
  }
  return { commands, events };
}
