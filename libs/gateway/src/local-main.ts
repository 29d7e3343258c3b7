/**
 * The local preview's gateway process: `node <bundle> <config.json>`. Started detached by the local
 * provider; logs JSON lines on stdout; SIGTERM or SIGINT closes it cleanly with exit code 0.
 */
import { bearerCheck } from './authorize';
import { createHandler } from './handler';
import { createHttpInvoker } from './invoke-http';
import { readLocalConfig } from './local-config';
import { startLocalGateway } from './local-server';

const line = (fields: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);

async function main(configFile: string | undefined) {
  if (!configFile) throw new Error('usage: node local-gateway.js <config.json>');
  const config = readLocalConfig(configFile);
  const invoker = createHttpInvoker({ url: config.modelUrl });
  const handler = createHandler({
    inputSchema: config.input,
    outputSchema: config.output,
    token: config.token,
    invoker,
    maxBodyBytes: config.maxBodyBytes,
    maxArrayItems: config.maxArrayItems,
    timeoutMs: config.timeoutMs,
    modelName: config.modelName,
  });
  const checkToken = bearerCheck(config.token);
  const gateway = await startLocalGateway({
    handler,
    authorize: (authorization) => checkToken(authorization) === undefined,
    host: config.host,
    port: config.port,
    maxBodyBytes: config.maxBodyBytes,
    maxConnections: config.maxConnections,
    headersTimeoutMs: config.headersTimeoutMs,
    bodyTimeoutMs: config.bodyTimeoutMs,
    log: line,
  });
  line({ level: 'info', event: 'listening', url: gateway.url, model: config.modelName, modelUrl: config.modelUrl, pid: process.pid });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    line({ level: 'info', event: 'stopping', signal });
    await gateway.close();
    await invoker.close();
    line({ level: 'info', event: 'stopped' });
    process.exit(0);
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);
}

main(process.argv[2]).catch((e: unknown) => {
  line({ level: 'error', event: 'failed', error: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
