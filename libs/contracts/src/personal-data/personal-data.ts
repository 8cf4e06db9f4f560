// The one declaration of which contract fields hold personal data. Encryption (what the store
// and `referrals.events` hold sealed), log redaction and the JSON Schemas all read it.
import { JSONSchema } from 'class-validator-jsonschema';

/** The annotation personal fields carry in the generated JSON Schemas. */
export const PERSONAL_DATA_ANNOTATION = 'x-personal-data';

const declared = new WeakMap<object, Set<string>>();

/** Marks a property as personal data about a person (the subject, or staff acting on them). */
export function PersonalData(): PropertyDecorator {
  const annotate = JSONSchema({ [PERSONAL_DATA_ANNOTATION]: true });
  return (prototype, property) => {
    if (typeof property !== 'string') throw new Error('personal data fields are named by strings');
    const fields = declared.get(prototype) ?? new Set<string>();
    fields.add(property);
    declared.set(prototype, fields);
    annotate(prototype, property);
  };
}

/** The personal fields of a contract class, its own and those it inherits, in a stable order. */
export function personalFieldsOf(cls: abstract new () => object): string[] {
  const fields = new Set<string>();
  for (
    let prototype: unknown = cls.prototype;
    prototype;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    for (const field of declared.get(prototype) ?? []) fields.add(field);
  }
  return [...fields].sort();
}

/** Envelope extensions that carry personal data: the name of the person acting at an agency. */
export const PERSONAL_ENVELOPE_FIELDS = ['actor'] as const;
