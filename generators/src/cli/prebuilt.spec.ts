import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prebuiltCli } from './prebuilt';

const root = mkdtempSync(join(tmpdir(), 'ephenv-prebuilt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A workspace in miniature: an entry importing a library through a tsconfig path, which reads a file next to its source. */
function write(file: string, text: string): void {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
}
write('tsconfig.base.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@demo/lib': ['libs/lib/index.ts'] } } }));
write('libs/lib/index.ts', `import { readFileSync } from 'node:fs';\nexport const greeting = (): string => readFileSync(__dirname + '/greeting.txt', 'utf8');\n`);
write('libs/lib/greeting.txt', 'hello');
write('cli/main.ts', `export async function main(): Promise<string> {\n  return (await import('@demo/lib')).greeting();\n}\n`);
const entry = join(root, 'cli', 'main.ts');

const run = async (bundle: string) => {
  delete require.cache[bundle];
  return (require(bundle) as { main: () => Promise<string> }).main();
};

describe('the prebuilt CLI', () => {
  it('bundles the TypeScript sources and their workspace libraries; each module keeps its own __dirname', async () => {
    const bundle = await prebuiltCli(root, entry);
    expect(bundle).toBe(join(root, '.ephenv', 'build', 'cli', 'ephenv.js'));
    expect(await run(bundle)).toBe('hello');
  });

  it('is reused while its sources keep their content, and rebuilt when one changes', async () => {
    const bundle = await prebuiltCli(root, entry);
    const builtAt = statSync(bundle).mtimeMs;
    const record = readFileSync(`${bundle}.inputs.json`, 'utf8');
    expect(await prebuiltCli(root, entry)).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(builtAt);

    write('libs/lib/index.ts', `export const greeting = (): string => 'changed';\n`);
    await new Promise((r) => setTimeout(r, 20)); // a new mtime even on coarse filesystems
    expect(await run(await prebuiltCli(root, entry))).toBe('changed');
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(builtAt);
    expect(readFileSync(`${bundle}.inputs.json`, 'utf8')).not.toBe(record);
  });

  it('says which entry failed to compile, and why', async () => {
    write('cli/broken.ts', `export const x = ;\n`);
    await expect(prebuiltCli(root, join(root, 'cli', 'broken.ts'))).rejects.toThrow(/compiling the CLI from .*broken\.ts failed/);
  });
});
