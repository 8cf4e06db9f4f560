// Topic names of CONTRACT §2. The prefix is empty in production; tests use a unique one.
export class TopicNames {
  constructor(private readonly prefix = '') {}

  get events(): string {
    return `${this.prefix}referrals.events`;
  }

  get deadLetter(): string {
    return `${this.prefix}referrals.dead-letter`;
  }

  commands(agencyId: string): string {
    return `${this.prefix}referrals.commands.${agencyId}`;
  }

  outcomes(agencyId: string): string {
    return `${this.prefix}referrals.outcomes.${agencyId}`;
  }

  inbox(agencyId: string): string {
    return `${this.prefix}referrals.inbox.${agencyId}`;
  }

  /** The agency whose command topic this is, or undefined for any other topic. */
  agencyOfCommandTopic(topic: string): string | undefined {
    const head = `${this.prefix}referrals.commands.`;
    return topic.startsWith(head) ? topic.slice(head.length) : undefined;
  }

  /** Every topic one agency needs. */
  forAgency(agencyId: string): string[] {
    return [this.commands(agencyId), this.outcomes(agencyId), this.inbox(agencyId)];
  }
}
