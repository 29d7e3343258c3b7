import { freePort, stopProcess } from '@ephenv/core';
import { spawn } from 'node:child_process';

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

/** Starts moto's server (a local AWS emulator) on a free loopback port and waits until it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid) await stopProcess(child.pid, 3_000);
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}; is moto installed (pip install "moto[server]")?`);
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`moto_server did not answer on ${url} within 30 s`);
}
