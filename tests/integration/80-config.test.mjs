import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, DB } from './harness.mjs';

// Configuration precedence: defaults < TOML file < RATUSHA_* environment < flags.
test('configuration: file, then environment, then flags', { skip: DB !== 'sqlite' && 'the same on both' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ratusha-config-'));
  try {
    const file = join(dir, 'ratusha.toml');
    writeFileSync(file, `data_dir = "${join(dir, 'from-file')}"\ncode_prefix = "FIL"\nlog_level = "warn"\n`);
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('RATUSHA_') && k !== 'RATUSHA_BIN') delete env[k];
    const run = (args, extra = {}) => spawnSync(BIN, args, { env: { ...env, ...extra }, encoding: 'utf8' });

    const a = run(['user', 'add', '--config', file, '--name', 'Файл Настройки', '--json']);
    assert.equal(a.status, 0, a.stderr);
    assert.match(JSON.parse(a.stdout).access_code, /^FIL-/, 'the file sets the prefix');

    const b = run(['user', 'add', '--config', file, '--name', 'Среда Настройки', '--json'], { RATUSHA_CODE_PREFIX: 'ENV' });
    assert.match(JSON.parse(b.stdout).access_code, /^ENV-/, 'the environment wins over the file');

    const listed = run(['user', 'list', '--config', file, '--json']);
    assert.equal(listed.stdout.trim().split('\n').length, 2, 'both went to the file\'s data_dir');

    const c = run(['user', 'list', '--config', file, '--data-dir', join(dir, 'from-flag'), '--json'], { RATUSHA_DATA_DIR: join(dir, 'from-env') });
    assert.equal(c.status, 0, c.stderr);
    assert.equal(c.stdout.trim(), '', 'the flag wins over environment and file: an empty new database');

    writeFileSync(file, 'no_such_setting = 1\n');
    const bad = run(['user', 'list', '--config', file]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown setting 'no_such_setting'/);

    const badPrefix = run(['user', 'list', '--data-dir', join(dir, 'x')], { RATUSHA_CODE_PREFIX: 'toolong1' });
    assert.equal(badPrefix.status, 1);
    assert.match(badPrefix.stderr, /code_prefix/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no configuration at all: SQLite under ./var, 127.0.0.1:8080 (from --help)', () => {
  const h = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
  assert.equal(h.status, 0);
  assert.match(h.stdout, /listen \/ RATUSHA_LISTEN \/ 127\.0\.0\.1:8080/);
  assert.match(h.stdout, /data_dir \/ RATUSHA_DATA_DIR \/ var/);
  assert.match(h.stdout, /database_url \/ RATUSHA_DATABASE_URL \/ sqlite:<data_dir>\/ratusha\.db/);
});
