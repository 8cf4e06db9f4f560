import { loadConfig } from './backbone-config';

describe('PROJECTOR_THREAD', () => {
  it('runs the projector consumer in a worker thread unless told to keep it on the main one', () => {
    expect(loadConfig({}).projectorThread).toBe('worker');
    expect(loadConfig({ PROJECTOR_THREAD: 'main' }).projectorThread).toBe('main');
  });

  it('refuses any other value, naming the setting and what it takes', () => {
    expect(() => loadConfig({ PROJECTOR_THREAD: 'process' })).toThrow(
      'PROJECTOR_THREAD must be one of worker, main, got "process"',
    );
  });
});
