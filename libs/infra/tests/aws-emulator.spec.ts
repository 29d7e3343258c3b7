import { existsSync, readFileSync } from 'node:fs';
import { SSMClient, PutParameterCommand, GetParameterCommand } from '@aws-sdk/client-ssm';
import { isAlive } from '@ephenv/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientConfig, emulatorEnv, emulatorProcessEnv, startMoto, type MotoServer } from '@ephenv/testing';
import { boto3, ok } from './support/terraform';

describe('moto launcher', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    moto = await startMoto();
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('serves AWS APIs on a loopback port to the AWS SDK and boto3 alike', async () => {
    expect(moto.endpoint).toBe(`http://127.0.0.1:${moto.port}`);
    const ssm = new SSMClient(emulatorClientConfig(moto.endpoint));
    await ssm.send(new PutParameterCommand({ Name: '/emulator/check', Value: 'v1', Type: 'String' }));
    const [read] = await boto3(
      [{ service: 'ssm', operation: 'get_parameter', params: { Name: '/emulator/check' } }],
      emulatorProcessEnv(moto.endpoint),
    );
    expect(ok(read).Parameter.Value).toBe('v1');
    const back = await ssm.send(new GetParameterCommand({ Name: '/emulator/check' }));
    expect(back.Parameter?.Value).toBe('v1');
    // The server's request log lands in the log file.
    expect(readFileSync(moto.logFile, 'utf8')).toMatch(/"POST \/ HTTP\/1\.1" 200/);
  });

  it('stops by PID and frees the process', async () => {
    const other = await startMoto();
    expect(isAlive(other.pid)).toBe(true);
    await other.stop();
    expect(isAlive(other.pid)).toBe(false);
    expect(existsSync(other.logFile)).toBe(false);
    await expect(fetch(`${other.endpoint}/moto-api/`)).rejects.toThrow();
  });

  it('says how to install moto when moto_server is missing', async () => {
    await expect(startMoto({ env: { PATH: '/nonexistent' } })).rejects.toThrow(/pip install 'moto\[server\]'/);
  });
});

describe('emulator environment', () => {
  it('points every AWS client at the emulator with dummy credentials', () => {
    expect(emulatorEnv('http://127.0.0.1:5000')).toEqual({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });

  it('drops other credential sources so nothing reaches a real account', () => {
    const env = emulatorProcessEnv('http://127.0.0.1:5000', {
      PATH: '/bin',
      AWS_PROFILE: 'prod',
      AWS_SESSION_TOKEN: 'real-session',
      AWS_ACCESS_KEY_ID: 'AKIAREAL',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
    });
    expect(env.PATH).toBe('/bin');
    expect(env.AWS_ACCESS_KEY_ID).toBe('test');
    expect(env).not.toHaveProperty('AWS_PROFILE');
    expect(env).not.toHaveProperty('AWS_SESSION_TOKEN');
    expect(env).not.toHaveProperty('AWS_WEB_IDENTITY_TOKEN_FILE');
  });
});
