// A JSON Patch (RFC 6902) applied to the Task as it stands, by fast-json-patch: the patched
// Task is then read as a whole Task would be (task-change.ts), so PATCH and PUT mean the same.
import { JsonPatchError, applyPatch, deepClone, type Operation } from 'fast-json-patch';
import type { Task } from '@medplum/fhirtypes';
import { FhirError } from '../fhir-error';

/** What a patch may change; `test` may look anywhere (e.g. at /meta/versionId). */
const PATCHABLE = /^\/(status|businessStatus|statusReason|output|note|owner)(\/|$)/;

function operationsOf(body: unknown): Operation[] {
  if (!Array.isArray(body)) {
    throw new FhirError(400, 'a JSON Patch is an array of operations');
  }
  body.forEach((operation: unknown, index) => {
    const { op, path, from } = (operation ?? {}) as {
      op?: unknown;
      path?: unknown;
      from?: unknown;
    };
    const touched =
      op === 'move' && typeof from === 'string' && !PATCHABLE.test(from) ? from : path;
    if (op !== 'test' && typeof touched === 'string' && !PATCHABLE.test(touched)) {
      throw new FhirError(
        422,
        `operation ${index} changes ${touched}; a patch changes only status, businessStatus, ` +
          'statusReason, output, note (added to) or owner (a redirect)',
        `Task${touched.replace(/\//g, '.').replace(/\.(\d+)/g, '[$1]')}`,
      );
    }
  });
  return body as Operation[];
}

export function patchedTask(current: Task, body: unknown): Task {
  const operations = operationsOf(body);
  try {
    // Validated operation by operation; keys such as __proto__ are refused by the library.
    return applyPatch(deepClone(current) as Task, operations, true, false, true).newDocument;
  } catch (error) {
    if (error instanceof JsonPatchError) {
      throw new FhirError(
        422,
        `the patch does not apply (${error.name}, operation ${String(error.index ?? '?')})`,
      );
    }
    throw error;
  }
}
