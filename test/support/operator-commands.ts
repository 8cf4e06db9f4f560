import { randomUUID } from 'node:crypto';

/** The operator's erasure command envelope for `subjectId` (CONTRACT §4, `subject.erase.v1`). */
export const eraseCommand = (
  subjectId: string,
  operator = 'demo-ops-team',
  id: string = randomUUID(),
) => ({
  specversion: '1.0',
  id,
  source: `operator/${operator}`,
  type: 'subject.erase.v1',
  time: new Date().toISOString(),
  subject: subjectId,
  data: { subjectId },
});
