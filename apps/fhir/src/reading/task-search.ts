import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { SearchPosition, encodeSearchPosition } from './search-position';
import type { TaskSearch } from './task-search-params';
import { TASKS_OF_PARTY } from './task-search.sql';

export interface TaskSearchPage {
  referralIds: string[];
  /** The token of the next page; absent on the last one. */
  next?: string;
}

/** Finds the referrals a Task search matches among those an agency is a party to. */
@Injectable()
export class TaskSearchQueries {
  constructor(private readonly pool: Pool) {}

  async find(agencyId: string, search: TaskSearch): Promise<TaskSearchPage> {
    const after: SearchPosition | undefined = search.after;
    const { rows } = await this.pool.query<{ referral_id: string; made_at: Date }>({
      ...TASKS_OF_PARTY,
      values: [
        agencyId,
        search.owner ?? null,
        search.requester ?? null,
        search.statuses ?? null,
        search.lastUpdated.gt ?? null,
        search.lastUpdated.ge ?? null,
        search.lastUpdated.lt ?? null,
        search.lastUpdated.le ?? null,
        after?.madeAt ?? null,
        after?.referralId ?? null,
        // One row more than the page tells whether another page follows.
        search.count + 1,
      ],
    });
    const page = rows.slice(0, search.count);
    const last = page[page.length - 1];
    return {
      referralIds: page.map((row) => row.referral_id),
      ...(rows.length > search.count && last
        ? {
            next: encodeSearchPosition({
              madeAt: last.made_at.toISOString(),
              referralId: last.referral_id,
            }),
          }
        : {}),
    };
  }
}
