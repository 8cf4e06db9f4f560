import { buildContractSchemas } from '@backbone/contracts';

/** What the contract says of one property name, across every schema that has it. */
export interface FieldRule {
  /** Some schema marks it as personal data (`x-personal-data`): never shown, nor what it holds. */
  personal: boolean;
  /** Values some schema allows by `enum` or `const`: closed vocabularies, safe to show. */
  allowed: Set<string>;
  /** Some schema says it is a UUID (an id the backbone or an agency chose). */
  uuid: boolean;
  /** Some schema says it names an agency (`to`) or a sender (`source: agency/<id>`). */
  agency: 'id' | 'source' | undefined;
}

type Schema = Record<string, unknown>;

const AGENCY_PATTERN = '^[a-z0-9][a-z0-9-]{1,62}$';
const SOURCE_PATTERN = '^agency\\/[a-z0-9][a-z0-9-]{1,62}$';

function ruleOf(rules: Map<string, FieldRule>, key: string): FieldRule {
  let rule = rules.get(key);
  if (!rule) {
    rule = { personal: false, allowed: new Set(), uuid: false, agency: undefined };
    rules.set(key, rule);
  }
  return rule;
}

function visit(node: unknown, rules: Map<string, FieldRule>): void {
  if (Array.isArray(node)) return node.forEach((item) => visit(item, rules));
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Schema;
  const properties = schema.properties as Record<string, Schema> | undefined;
  for (const [key, property] of Object.entries(properties ?? {})) {
    const rule = ruleOf(rules, key);
    if (property['x-personal-data'] === true) rule.personal = true;
    const items = (property.items as Schema | undefined) ?? {};
    for (const source of [property, items]) {
      for (const value of (source.enum as unknown[] | undefined) ?? [])
        if (typeof value === 'string') rule.allowed.add(value);
      if (typeof source.const === 'string') rule.allowed.add(source.const);
      if (source.format === 'uuid') rule.uuid = true;
      if (source.pattern === AGENCY_PATTERN) rule.agency = 'id';
      if (source.pattern === SOURCE_PATTERN) rule.agency = 'source';
    }
  }
  for (const value of Object.values(schema)) visit(value, rules);
}

let cached: ReadonlyMap<string, FieldRule> | undefined;

/** Every property name of every command schema the contract publishes, with its rule. */
export function contractFieldRules(): ReadonlyMap<string, FieldRule> {
  if (!cached) {
    const rules = new Map<string, FieldRule>();
    visit(Object.values(buildContractSchemas().commands), rules);
    cached = rules;
  }
  return cached;
}
