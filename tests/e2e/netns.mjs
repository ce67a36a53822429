// Media tests run in a network namespace of their own (../shared/engineering/TESTING.md): Janus
// never sends media over loopback, and tests may only send traffic to addresses they create.
// `inNamespace(file)` runs a test file again inside a fresh namespace with a veth pair (as root)
// and returns its output; the file knows it is inside from RATUSHA_MEDIA_IFACE. Without root it
// falls back to this machine's own non-loopback address, never to another host.
import { spawn, spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';

function ip(...args) {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr || r.error}`);
}

/** Creates the namespace: {name, iface, address, remove()}; null when this user cannot. */
export function createNamespace() {
  if (process.getuid?.() !== 0) return null;
  const tag = String(process.pid % 10000);
  const name = `rt-media-${tag}`;
  const host = `rtv0-${tag}`;
  const inner = `rtv1-${tag}`;
  const subnet = `10.231.${process.pid % 250}`;
  const remove = () => {
    spawnSync('ip', ['netns', 'del', name]);
    spawnSync('ip', ['link', 'del', host]);
  };
  remove();  // left over from a run that was killed
  try {
    ip('netns', 'add', name);
    ip('link', 'add', host, 'type', 'veth', 'peer', 'name', inner);
    ip('link', 'set', inner, 'netns', name);
    ip('addr', 'add', `${subnet}.1/24`, 'dev', host);
    ip('link', 'set', host, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${subnet}.2/24`, 'dev', inner);
    ip('netns', 'exec', name, 'ip', 'link', 'set', inner, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    remove();
    throw error;
  }
  return { name, iface: inner, address: `${subnet}.2`, remove };
}

/** This machine's first non-loopback IPv4 interface, for the fallback without root. */
export function ownInterface() {
  for (const [name, addresses] of Object.entries(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return { name, address: a.address };
  return null;
}

/**
 * Runs `node --test file` (or `node file` with test: false) inside a fresh namespace (or, without root, here with this machine's
 * own interface). Resolves to {code, output, where}; null when neither is possible.
 */
export async function runInNamespace(file, env = {}, { test = true } = {}) {
  const nodeArgs = test ? ['--test', file] : [file];
  const ns = createNamespace();
  let command;
  let where;
  let iface;
  if (ns) {
    command = ['ip', ['netns', 'exec', ns.name, process.execPath, ...nodeArgs]];
    where = `namespace ${ns.name} (${ns.address} on ${ns.iface})`;
    iface = ns.iface;
  } else {
    const own = ownInterface();
    if (!own) return null;
    command = [process.execPath, nodeArgs];
    where = `this machine's ${own.name} (${own.address}), no namespace (not root)`;
    iface = own.name;
  }
  try {
    return await new Promise((resolve, reject) => {
      // Not as a child of this test runner (NODE_TEST_CONTEXT would make it report to us in
      // the runner's own protocol): a run of its own, whose TAP we keep.
      const { NODE_TEST_CONTEXT, ...parentEnv } = process.env;
      const child = spawn(command[0], command[1], {
        env: { ...parentEnv, ...env, RATUSHA_MEDIA_IFACE: iface },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output, where }));
    });
  } finally {
    ns?.remove();
  }
}
