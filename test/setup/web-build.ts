import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds the web app for the browser tests (dist/web) as `npm start` does: production, and only
 * when its sources changed since the last build.
 */
export default function setup(): void {
  const build = fileURLToPath(new URL('../../build.js', import.meta.url));
  execFileSync(process.execPath, [build], { stdio: ['ignore', 'inherit', 'inherit'] });
}
