// The time the backbone stamps on what it records: when a command was decided, when its events
// were recorded, when a deadline was judged. The system clock everywhere, except in a tool that
// must record another time through the same code (the demo seeder replays a past year).

/** Where the time comes from. */
export interface Clock {
  now(): Date;
}

/** Injects the process's clock: `@Inject(CLOCK) clock: Clock`. */
export const CLOCK = Symbol('CLOCK');

/** The machine's own time: what every service runs on. */
export const SYSTEM_CLOCK: Clock = { now: () => new Date() };
