import type { Principal } from '@backbone/directory';
import { problem } from './problem';

/** An agency reads only its own lists and feeds: any other caller is refused with `403`. */
export function requireOwnAgency(principal: Principal, agencyId: string, what: string): void {
  if (principal.id !== agencyId) {
    throw problem(403, 'Forbidden', `you are ${principal.id}; you can read only your own ${what}`);
  }
}
