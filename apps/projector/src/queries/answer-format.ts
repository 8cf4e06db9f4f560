import { problem } from '@backbone/http';

/**
 * Whether an insights answer is CSV: `?format=csv` or `?format=json` say so outright (a link
 * in a page cannot set `Accept`), otherwise `Accept: text/csv` does. Any other format is a 400.
 */
export function csvAsked(format: unknown, accept: string | undefined): boolean {
  if (format === 'csv') return true;
  if (format === 'json') return false;
  if (format !== undefined && format !== '')
    throw problem(400, 'Bad Request', 'format must be csv or json');
  return accept?.includes('text/csv') ?? false;
}
