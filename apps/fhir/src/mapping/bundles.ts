// The two Bundles the read side answers with: a page of search results and a Task's history.
import type { Bundle, BundleLink, Resource, Task } from '@medplum/fhirtypes';

export function searchsetBundle(
  resources: Resource[],
  links: { self: string; next?: string },
  baseUrl: string,
): Bundle {
  const link: BundleLink[] = [{ relation: 'self', url: links.self }];
  if (links.next) link.push({ relation: 'next', url: links.next });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link,
    entry: resources.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/** Every version of one Task, newest first as FHIR history is: version 1 was the create. */
export function historyBundle(versions: Task[], self: string, baseUrl: string): Bundle {
  const newestFirst = [...versions].reverse();
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: versions.length,
    link: [{ relation: 'self', url: self }],
    entry: newestFirst.map((task) => {
      const version = task.meta?.versionId ?? '';
      const created = version === '1';
      return {
        fullUrl: `${baseUrl}/Task/${task.id ?? ''}`,
        resource: task,
        request: { method: created ? 'POST' : 'PUT', url: created ? 'Task' : `Task/${task.id}` },
        response: {
          status: created ? '201 Created' : '200 OK',
          etag: `W/"${version}"`,
          ...(task.meta?.lastUpdated ? { lastModified: task.meta.lastUpdated } : {}),
        },
      };
    }),
  };
}

/** How one entry of a transaction was answered. */
export interface TransactionAnswer {
  resource: Resource;
  status: '201 Created' | '200 OK';
  /** The Task's version; other resources of a referral are not versioned. */
  version?: number;
  lastModified: string;
}

/** The answer to a transaction Bundle: one entry per request entry, in the same order. */
export function transactionResponseBundle(answers: TransactionAnswer[], baseUrl: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: answers.map(({ resource, status, version, lastModified }) => {
      const url = `${resource.resourceType}/${resource.id ?? ''}`;
      return {
        fullUrl: `${baseUrl}/${url}`,
        resource,
        response: {
          status,
          location: version === undefined ? url : `${url}/_history/${version}`,
          ...(version === undefined ? {} : { etag: `W/"${version}"` }),
          lastModified,
        },
      };
    }),
  };
}
