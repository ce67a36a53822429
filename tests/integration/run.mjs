// Runs the integration suite on one database. For PostgreSQL it first starts a throwaway
// cluster (initdb + pg_ctl on a free port, as the postgres user when we are root) and removes
// it afterwards.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const db = process.env.RATUSHA_TEST_DB || 'sqlite';

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function pgBin(name) {
  for (const v of ['16', '15']) {
    try { execFileSync('test', ['-x', `/usr/lib/postgresql/${v}/bin/${name}`]); return `/usr/lib/postgresql/${v}/bin/${name}`; } catch {}
  }
  return name;
}

async function startPostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'ratusha-pg-'));
  chmodSync(dir, 0o755);
  const asRoot = process.getuid && process.getuid() === 0;
  const run = (cmd, args) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    const r = spawnSync(full[0], full[1], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}${r.stdout}`);
  };
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  run(pgBin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  run(pgBin('pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c max_connections=200`, 'start']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try { run(pgBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']); } catch (e) { console.error(String(e)); }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Arguments narrow the run to files whose names contain them (e.g. `node run.mjs 90-`).
const only = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs') && (!only.length || only.some((o) => f.includes(o))))
  .sort().map((f) => join(here, f));
let pg = null;
const env = { ...process.env };
if (db === 'postgresql') {
  pg = await startPostgres();
  env.RATUSHA_TEST_PG_ADMIN_URL = pg.url;
}
let status = 1;
try {
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit', env });
  status = r.status ?? 1;
} finally {
  if (pg) pg.stop();
}
process.exit(status);
