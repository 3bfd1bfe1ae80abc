import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * poppler's pdfsig, an independent PDF signature verifier (NSS underneath). Under CI it must be
 * there (.ci/run installs poppler-utils); elsewhere tests that need it are skipped without it.
 */
export const PDFSIG = '/usr/bin/pdfsig';
export const hasPdfsig = existsSync(PDFSIG) || process.env.CI === 'true';

/** What pdfsig prints about a file's signatures. */
export async function pdfsig(file: Uint8Array): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pdfsig-'));
  try {
    const path = join(dir, 'document.pdf');
    writeFileSync(path, file);
    const r = await promisify(execFile)(PDFSIG, [path]).catch(
      (e: { stdout?: string; stderr?: string }) => ({
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
      }),
    );
    return `${r.stdout}${r.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
