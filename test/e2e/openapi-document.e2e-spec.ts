// The OpenAPI document is generated from the controllers, so it cannot drift from them; this
// proves it: every route the running backbone serves is in the document, and nothing else is.
import { BackboneUnderTest } from '../support/backbone-under-test';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

describe('OpenAPI document', () => {
  let backbone: BackboneUnderTest;

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  it('describes exactly the routes the backbone serves', async () => {
    const response = await fetch(`${backbone.baseUrl}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toMatch(/^3\./);
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((key) => HTTP_METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    // The document's own pages are served beside the API, not part of it; so are the ops
    // console's web page, its sign-in form's targets and its live tail (server-sent events),
    // and the directors' page with its sign-in and scripts.
    const notApi = [
      'GET /ops',
      'POST /ops/session',
      'POST /ops/session/end',
      'GET /ops/api/tail',
      'GET /insights',
      'POST /insights/session',
      'POST /insights/session/end',
      'GET /insights/assets/{file}',
    ];
    const served = backbone
      .registeredRoutes()
      .filter((route) => !/ \/docs/.test(route) && !notApi.includes(route));
    expect(served.length).toBeGreaterThan(5);
    expect(served).toContain('GET /v1/agencies/{agencyId}/inbox');
    expect([...new Set(documented)].sort()).toEqual([...new Set(served)].sort());
  });

  it('serves the document as a page at /docs', async () => {
    const response = await fetch(`${backbone.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });
});
