import { DEFAULT_NETWORK_DIR, readNetworkFiles } from '../store/network-files.ts';
import { runCli } from './program.ts';

// Composition root of the CLI: real output streams, the file system and the clock.
const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readNetworkFiles,
  defaultNetworkDir: DEFAULT_NETWORK_DIR,
  today: () => new Date().toISOString().slice(0, 10),
});
process.exitCode = code;
