/** One field that failed validation, as an outcome's `errors` lists it (CONTRACT §6). */
export interface FieldError {
  path: string;
  message: string;
}
