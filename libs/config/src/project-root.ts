import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from this file whether it runs from source or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (
    !existsSync(join(dir, 'package.json')) ||
    existsSync(join(dir, 'tsconfig.build.json')) === false
  ) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No project root above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
