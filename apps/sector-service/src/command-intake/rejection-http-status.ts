import type { RejectionCode } from '@backbone/contracts';

/** The HTTP status each rejection code is answered with, here and at the FHIR façade. */
export const HTTP_STATUS_OF_REJECTION: Readonly<Record<RejectionCode, number>> = {
  MALFORMED: 400,
  INVALID: 422,
  UNSUPPORTED_TYPE: 422,
  TOO_LARGE: 413,
  UNKNOWN_AGENCY: 422,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  DUPLICATE: 409,
  CONFLICT: 409,
};
