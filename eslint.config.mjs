// typescript-eslint's type-aware recommended rules over all TypeScript in the repository.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.data/',
      'jest.config.js',
      'eslint.config.mjs',
      '.dependency-cruiser.cjs',
      // Plain CommonJS that lets a child process require TypeScript (outside the TS project).
      'test/support/faults/ts-register.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      // NestJS lifecycle hooks and handlers are often async for the interface, not for an await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Scripts of the web pages, served to browsers as they are: plain JavaScript, no types.
    files: ['apps/*/src/**/web/**/*.js'],
    rules: tseslint.configs.disableTypeChecked.rules,
    languageOptions: {
      sourceType: 'script',
      globals: globals.browser,
      parserOptions: { projectService: false, project: null, program: null },
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
