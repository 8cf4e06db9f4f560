// Lets a child process run the backbone's TypeScript sources directly: SWC compiles each file
// on require (as jest does), tsconfig-paths resolves the @backbone/* aliases.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
require('tsconfig-paths/register');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
