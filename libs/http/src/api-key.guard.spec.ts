import { ExecutionContext, HttpException } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { DEMO_API_KEYS, loadDirectory } from '@backbone/directory';
import { AllowedPrincipals, ApiKeyGuard, CurrentDirector } from './api-key.guard';

const KEYS = {
  agency: DEMO_API_KEYS['randers-social'],
  auditor: DEMO_API_KEYS['demo-audit-office'],
  operator: DEMO_API_KEYS['demo-ops-team'],
  director: DEMO_API_KEYS['demo-randers-director'],
};

class Routes {
  @AllowedPrincipals('director')
  insights(this: void): void {}

  @AllowedPrincipals('agency', 'operator')
  statistics(this: void): void {}

  /** Behind the guard without naming anyone. */
  anyKey(this: void): void {}
}

const requestWith = (key?: string): { headers: Record<string, string>; principal?: unknown } => ({
  headers: key ? { authorization: `Bearer ${key}` } : {},
});

const contextOf = (handler: () => void, request: object): ExecutionContext =>
  ({
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => handler,
    getClass: () => Routes,
  }) as unknown as ExecutionContext;

const statusOf = (run: () => unknown): number | 'admitted' => {
  try {
    run();
    return 'admitted';
  } catch (error) {
    return (error as HttpException).getStatus();
  }
};

/** The function Nest calls for a custom parameter decorator. */
function factoryOf(decorator: () => ParameterDecorator) {
  class Controller {
    handle(@decorator() _: unknown): void {}
  }
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Controller, 'handle') as Record<
    string,
    { factory: (data: unknown, context: ExecutionContext) => unknown }
  >;
  return Object.values(args)[0].factory;
}

describe('ApiKeyGuard', () => {
  const guard = new ApiKeyGuard(loadDirectory(), new Reflector());
  const routes = new Routes();
  const ask = (handler: () => void, key?: string) =>
    statusOf(() => guard.canActivate(contextOf(handler, requestWith(key))));

  it('admits a director where a route names directors, and no one else', () => {
    expect(ask(routes.insights, KEYS.director)).toBe('admitted');
    for (const key of [KEYS.agency, KEYS.auditor, KEYS.operator]) {
      expect(ask(routes.insights, key)).toBe(403);
    }
    expect(ask(routes.insights)).toBe(401);
  });

  it('keeps directors out of a route that names other kinds', () => {
    expect(ask(routes.statistics, KEYS.director)).toBe(403);
    expect(ask(routes.statistics, KEYS.agency)).toBe('admitted');
  });

  it('keeps directors out of a route that names no kinds, which admits the others', () => {
    expect(ask(routes.anyKey, KEYS.director)).toBe(403);
    for (const key of [KEYS.agency, KEYS.auditor, KEYS.operator]) {
      expect(ask(routes.anyKey, key)).toBe('admitted');
    }
  });

  it("hands a director's route the director with the agencies it may see", () => {
    const request = requestWith(KEYS.director);
    guard.canActivate(contextOf(routes.insights, request));
    const director = factoryOf(CurrentDirector)(undefined, contextOf(routes.insights, request));
    expect(director).toEqual({
      kind: 'director',
      id: 'demo-randers-director',
      agencies: ['randers-school', 'randers-social', 'east-jutland-police'],
    });
  });

  it('refuses to hand anyone but a director to a route asking for one', () => {
    const request = requestWith(KEYS.operator);
    guard.canActivate(contextOf(routes.anyKey, request));
    const current = factoryOf(CurrentDirector);
    expect(statusOf(() => current(undefined, contextOf(routes.anyKey, request)))).toBe(403);
  });
});
