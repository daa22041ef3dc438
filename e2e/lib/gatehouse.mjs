// Starts a real Gatehouse server (the built binary) on a free port with a fresh SQLite data
// directory, reads the URL and the demo login it prints, runs command-line acts on the same
// database, and launches Debian's Chromium.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const artifacts = join(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

export async function startGatehouse() {
  const bin = process.env.GATEHOUSE_BIN;
  const webDir = process.env.GATEHOUSE_WEB_DIR;
  if (!bin || !webDir) throw new Error('GATEHOUSE_BIN and GATEHOUSE_WEB_DIR must be set (scripts/test sets them)');
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
  // The embedded SQLite database, whatever the caller's environment says.
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(bin, ['serve'], {
    env: {
      ...env,
      GATEHOUSE_ADDR: '127.0.0.1:0',
      GATEHOUSE_DATA_DIR: dataDir,
      GATEHOUSE_WEB_DIR: webDir,
      GATEHOUSE_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = out.match(/running at (http:\/\/\S+)/);
      const demo = out.match(/sign in as (\S+) with password (\S+)/);
      if (url && demo) {
        clearTimeout(timer);
        resolve({ url: url[1], email: demo[1], password: demo[2] });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  const info = await ready;
  return {
    ...info,
    dataDir,
    /** Runs a `gatehouse` command on this server's database; resolves with its output. */
    cli(args) {
      return new Promise((resolve, reject) => {
        execFile(bin, args, { env: { ...env, GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_LOG: 'warn' } },
          (error, stdout, stderr) => {
            if (error) reject(new Error(`gatehouse ${args.join(' ')} failed: ${stderr || error.message}`));
            else resolve(stdout);
          });
      });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
