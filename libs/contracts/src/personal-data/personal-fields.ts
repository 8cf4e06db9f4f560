import { COMMAND_DATA_CLASSES } from '../command-types';
import { EVENT_DATA_CLASSES } from '../event-types';
import { PERSONAL_ENVELOPE_FIELDS, personalFieldsOf } from './personal-data';

const EVENT_FIELDS = new Map(
  Object.entries(EVENT_DATA_CLASSES).map(([type, cls]) => [type, personalFieldsOf(cls)]),
);

/** The top-level fields of an event type's `data` that hold personal data. */
export const personalEventFields = (eventType: string): readonly string[] =>
  EVENT_FIELDS.get(eventType) ?? [];

/** Every name a personal field goes by in any command or event, and in the envelope. */
export function personalFieldNames(): string[] {
  const classes = [...Object.values(COMMAND_DATA_CLASSES), ...Object.values(EVENT_DATA_CLASSES)];
  const names = new Set<string>(PERSONAL_ENVELOPE_FIELDS);
  for (const cls of classes) for (const field of personalFieldsOf(cls)) names.add(field);
  return [...names].sort();
}
