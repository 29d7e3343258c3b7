import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayBundle } from '../src/local/gateway-bundle';

const root = mkdtempSync(join(tmpdir(), 'ephenv-gateway-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const gatewaySrc = resolve(__dirname, '../../gateway/src');
const readRecord = (bundle: string) => JSON.parse(readFileSync(`${bundle}.inputs.json`, 'utf8')) as { inputs: string[]; sha256: string };
const builtAt = (bundle: string) => statSync(bundle).mtimeMs;

describe('the local gateway bundle', { timeout: 60_000 }, () => {
  it('is built once and reused while the files it was built from keep their content', async () => {
    const bundle = await gatewayBundle(root);
    const record = readRecord(bundle);
    // What esbuild read (the gateway's sources, the node_modules it bundles) and the bundler itself.
    expect(record.inputs).toEqual(expect.arrayContaining([join(gatewaySrc, 'local-main.ts'), join(gatewaySrc, 'bundle.ts')]));
    expect(record.inputs.some((f) => f.includes('/node_modules/ajv/'))).toBe(true);
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    const first = builtAt(bundle);

    const started = performance.now();
    expect(await gatewayBundle(root)).toBe(bundle);
    const reuseMs = performance.now() - started;
    expect(builtAt(bundle)).toBe(first);
    expect(readRecord(bundle)).toEqual(record);
    // Hashing ~230 files, not loading esbuild and bundling (about a second); loose for a loaded machine.
    expect(reuseMs).toBeLessThan(500);
  });

  it.each([
    ['an input changed content (its hash no longer matches)', (r: { inputs: string[]; sha256: string }) => ({ ...r, sha256: '0'.repeat(64) })],
    ['an input is gone', (r: { inputs: string[]; sha256: string }) => ({ ...r, inputs: [...r.inputs, join(root, 'deleted.ts')] })],
  ])('is rebuilt when %s', async (_case, edit) => {
    const bundle = await gatewayBundle(root);
    const record = readRecord(bundle);
    writeFileSync(`${bundle}.inputs.json`, JSON.stringify(edit(record)));
    const before = builtAt(bundle);
    await new Promise((r) => setTimeout(r, 20)); // a new mtime even on coarse filesystems
    expect(await gatewayBundle(root)).toBe(bundle);
    expect(builtAt(bundle)).toBeGreaterThan(before);
    expect(readRecord(bundle)).toEqual(record);
  });

  it('is rebuilt when its record is unreadable', async () => {
    const bundle = await gatewayBundle(root);
    const record = readRecord(bundle);
    writeFileSync(`${bundle}.inputs.json`, '{ not json');
    const before = builtAt(bundle);
    await new Promise((r) => setTimeout(r, 20));
    await gatewayBundle(root);
    expect(builtAt(bundle)).toBeGreaterThan(before);
    expect(readRecord(bundle)).toEqual(record);
  });
});
