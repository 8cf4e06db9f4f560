// Three test projects: unit (pure, no I/O), integration (real PostgreSQL and Kafka)
// and end-to-end (the whole backbone driven through Kafka and HTTP only).
const { compilerOptions } = require('./tsconfig.base.json');

// `@backbone/x` names a folder's index; `@backbone/testing/*` any module of test/support.
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('*', '(.*)')}$`,
    `<rootDir>/${target.replace('*', '$1')}`,
  ]),
);

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['reflect-metadata', '<rootDir>/test/support/quiet-logs.ts'],
};

// Integration and end-to-end projects share one stack (Kafka and PostgreSQL), brought up
// once before any test runs and stopped after the last one.
const withStack = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  // Applies to hooks too; per-project testTimeout is ignored by jest.
  testTimeout: 120_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,infra,bench}/**/*.spec.ts'],
    },
    {
      ...shared,
      ...withStack,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,infra}/**/*.int-spec.ts'],
    },
    {
      ...shared,
      ...withStack,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
    },
  ],
};
