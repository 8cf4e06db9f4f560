/**
 * What the seeder tells a parent process (over Node's IPC channel) once it holds the deadline
 * watcher's lock and has passed its checks: `npm start -- --seed` then starts the backbone.
 */
export const SEEDING_STARTED = 'demo-seed:seeding';
