import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge, GaugeConfiguration, register } from 'prom-client';
import { DeadLetters } from '../dead-letters/dead-letters.store';
import { OverdueReferrals } from '../overdue/overdue-referrals';

/** Replaces an earlier gauge of the same name: the newest console is the one to ask. */
function gauge<T extends string>(config: GaugeConfiguration<T>): void {
  register.removeSingleMetric(config.name);
  new Gauge({ ...config, registers: [register] });
}

/**
 * Gauges read from PostgreSQL on each scrape, for the alert rules: dead letters waiting and
 * overdue referrals per receiving agency. Dropped rather than left stale when the database
 * cannot be asked, so a missing series shows the trouble.
 */
@Injectable()
export class OpsConsoleGauges implements OnModuleInit {
  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly overdue: OverdueReferrals,
  ) {}

  onModuleInit(): void {
    const deadLetters = this.deadLetters;
    const overdue = this.overdue;
    gauge({
      name: 'backbone_dead_letters_pending',
      help: 'Dead letters copied by the ops console and not re-driven',
      async collect() {
        try {
          this.set((await deadLetters.counts()).pending);
        } catch {
          this.reset();
        }
      },
    });
    gauge({
      name: 'backbone_overdue_referrals',
      help: 'Referrals awaiting the receiving agency past their decision deadline, by that agency',
      labelNames: ['agency'],
      async collect() {
        this.reset();
        try {
          for (const { agency, count } of await overdue.byAgency()) this.set({ agency }, count);
        } catch {
          // left empty: see above
        }
      },
    });
  }
}
