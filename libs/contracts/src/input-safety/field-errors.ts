// An outcome's list of field errors, bounded so that any outcome fits its topic and its row:
// an envelope of ten thousand unknown keys would otherwise answer with ten thousand lines.
import type { FieldError } from '../field-error';
import { storableText } from './storable-text';

export const MAX_FIELD_ERRORS = 20;
const MAX_PATH_LENGTH = 200;
const MAX_MESSAGE_LENGTH = 300;

/** The first errors, each cut to a storable length, and how many there were in all. */
export function boundedFieldErrors(errors: FieldError[]): { errors: FieldError[]; count: number } {
  return {
    errors: errors.slice(0, MAX_FIELD_ERRORS).map(({ path, message }) => ({
      path: storableText(path, MAX_PATH_LENGTH),
      message: storableText(message, MAX_MESSAGE_LENGTH),
    })),
    count: errors.length,
  };
}
