import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Compiles the CLI (dist/cli) when its sources changed, so that the tests that run
 * `bin/corridor.js` as a process run the code of this checkout, as fast as a user's install does.
 */
export default function setup(): void {
  const build = fileURLToPath(new URL('../../build.js', import.meta.url));
  execFileSync(process.execPath, [build, '--cli'], { stdio: ['ignore', 'inherit', 'inherit'] });
}
