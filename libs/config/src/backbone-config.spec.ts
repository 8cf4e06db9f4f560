import { loadConfig, loadServiceConfig } from './backbone-config';

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

describe('the mode a backbone runs in', () => {
  it('is development for npm start and the tests, production for a deployed main', () => {
    expect(loadConfig({}).environment).toBe('development');
    expect(loadServiceConfig({}).environment).toBe('production');
    expect(loadServiceConfig({ BACKBONE_ENV: 'development' }).environment).toBe('development');
  });

  it('takes no other value', () => {
    expect(() => loadConfig({ BACKBONE_ENV: 'staging' })).toThrow(/BACKBONE_ENV must be one of/);
  });
});
