import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WORKSPACE_ROOT } from '../tests/packages';

export interface LocalRegistry {
  url: string;
  /** An npm user config pointing every npm command at this registry, with a token npm publish accepts. */
  npmrc: string;
  pid: number;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * Verdaccio on a free loopback port, its storage in `dir`: ephenv's packages are published to it,
 * everything else is fetched through it from `uplink` (the registry this machine's npm uses).
 */
export async function startRegistry(dir: string, uplink: string): Promise<LocalRegistry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(dir, 'storage'))}`,
      'uplinks:',
      `  upstream: { url: ${JSON.stringify(uplink)}, timeout: 60s, maxage: 30m }`,
      'packages:',
      "  '@ephenv/*': { access: $all, publish: $all, unpublish: $all }",
      "  '**': { access: $all, publish: $all, proxy: upstream }",
      'log: { type: file, path: ' + JSON.stringify(join(dir, 'verdaccio.log')) + ', level: warn }',
      'max_body_size: 100mb',
      '',
    ].join('\n'),
  );
  const npmrc = join(dir, 'npmrc');
  writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=local-e2e\n`);
  const out = openSync(join(dir, 'verdaccio.out'), 'a');
  // --use-openssl-ca: Verdaccio trusts the system's CA store, as npm does, so the uplink works behind
  // a TLS-inspecting proxy even where NODE_EXTRA_CA_CERTS is not passed on (npm answered, Verdaccio
  // got SELF_SIGNED_CERT_IN_CHAIN and every uplink package was a 404).
  const child: ChildProcess = spawn(process.execPath, ['--use-openssl-ca', join(WORKSPACE_ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', out, out],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, 'SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => process.kill(child.pid!, 'SIGKILL'))]);
    }
  };
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited with ${child.exitCode}: see ${join(dir, 'verdaccio.out')}`);
    const up = await fetch(`${url}/-/ping`).then((r) => r.ok, () => false);
    if (up) return { url, npmrc, pid: child.pid!, stop };
    await sleep(500);
  }
  await stop();
  throw new Error(`Verdaccio did not answer ${url}/-/ping within 60 s: see ${join(dir, 'verdaccio.out')}`);
}
