// The layer rules of DESIGN.md and STYLE.md, checked by `npm run lint` rather than by memory.
/** Test files: pure specs, integration specs, end-to-end specs and their support modules. */
const TESTS = '(\\.spec\\.ts|\\.int-spec\\.ts|\\.e2e-spec\\.ts)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'libs/domain decides and folds; it does no I/O: it imports only itself, the contracts ' +
        'and node:crypto (keyed ids), never a database, broker, file or network module.',
      severity: 'error',
      from: { path: '^libs/domain/src', pathNot: TESTS },
      to: {
        pathNot: ['^libs/domain/src', '^libs/contracts/src', '^crypto$', '^node:crypto$'],
      },
    },
    {
      name: 'contracts-stand-alone',
      comment:
        'libs/contracts is what agency systems code against: it depends on no other part of the ' +
        'backbone (no configuration, database or broker), so it can be read and shipped alone.',
      severity: 'error',
      from: { path: '^libs/contracts/src', pathNot: TESTS },
      to: { path: '^(libs|apps|infra)/', pathNot: '^libs/contracts/src' },
    },
    {
      name: 'libs-never-import-apps',
      comment:
        'Shared code sits below the deployable services: an app may use a lib, not the reverse.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-use-other-apps-only-through-their-index',
      comment:
        "An app may compose another app's module (the all-in-one process does), through what " +
        'that app exports from src/index.ts; never its internals.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: TESTS },
      to: { path: '^apps/[^/]+/', pathNot: ['^apps/$1/', '^apps/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'deciding-never-reaches-for-its-channels',
      comment:
        "The sector service's decision code (commands/) serves both channels and the deadline " +
        'watcher; the channels (command-intake/: Kafka, HTTP, outcomes) use it, never the reverse.',
      severity: 'error',
      from: { path: '^apps/sector-service/src/commands/', pathNot: TESTS },
      to: { path: '^apps/sector-service/src/command-intake/' },
    },
    {
      name: 'read-models-are-pure-folds',
      comment:
        'A read model (apps/projector/src/models/) is a fold from events to rows: it uses the ' +
        "contracts, the domain and the engine's two interfaces for models, never I/O, so the " +
        'engine can run it live, in a rebuild, or in a unit test alike.',
      severity: 'error',
      from: { path: '^apps/projector/src/models/', pathNot: TESTS },
      to: {
        pathNot: [
          '^apps/projector/src/models/',
          '^apps/projector/src/engine/(row-projection|projected-event)\\.ts$',
          '^libs/(contracts|domain)/src',
        ],
      },
    },
    {
      name: 'production-code-never-imports-tests',
      comment: 'Code that ships does not load specs, test support or benchmarks.',
      severity: 'error',
      from: { path: '^(apps|libs|infra)/', pathNot: [TESTS, '/testing/'] },
      to: { path: [TESTS, '^test/', '^bench/'] },
    },
    {
      name: 'tests-share-only-support-modules',
      comment:
        'A spec imports the code it proves and shared support modules, never another spec: ' +
        'what two specs share belongs in test/support or a testing/ folder.',
      severity: 'error',
      from: { path: TESTS },
      to: { path: TESTS },
    },
    {
      name: 'no-circular',
      comment:
        'Modules that import each other cannot be understood, tested or moved one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^\\.data/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
  },
};
