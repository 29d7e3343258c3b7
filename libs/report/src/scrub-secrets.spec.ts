import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectSecrets, findSecrets, REDACTED, scrubSecrets } from './scrub-secrets';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function workspaceWithRecords(records: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-secrets-'));
  roots.push(root);
  mkdirSync(join(root, '.ephenv', 'previews'), { recursive: true });
  for (const [name, text] of Object.entries(records)) writeFileSync(join(root, '.ephenv', 'previews', name), text);
  return root;
}

describe('collectSecrets and scrubSecrets', () => {
  it('collects the token of every record, a damaged one included, and secret env values', () => {
    const root = workspaceWithRecords({
      'a.json': JSON.stringify({ project: 'a', url: 'http://127.0.0.1:1', token: 'token-of-a-0123456789' }),
      'b.json': '{"project": "b", "token": "token-of-b-0123456789", "url": ',
      'notes.txt': 'token-in-a-text-file',
    });
    const secrets = collectSecrets(root, { EPHENV_TOKEN: 'from-the-env-0123', GITHUB_TOKEN: 'short', HOME: '/home/someone' });
    expect(secrets).toEqual([
      { value: 'token-of-a-0123456789', source: join('.ephenv', 'previews', 'a.json') },
      { value: 'token-of-b-0123456789', source: join('.ephenv', 'previews', 'b.json') },
      { value: 'from-the-env-0123', source: 'EPHENV_TOKEN' },
    ]);
  });

  it('replaces every occurrence, a longer secret containing a shorter one whole', () => {
    const secrets = [
      { value: 'abcdefgh', source: 'x' },
      { value: 'abcdefgh-longer', source: 'y' },
    ];
    const text = 'a abcdefgh-longer b abcdefgh c abcdefgh';
    expect(scrubSecrets(text, secrets)).toEqual({ text: `a ${REDACTED} b ${REDACTED} c ${REDACTED}`, removed: 3 });
    expect(findSecrets(text, secrets).map((s) => s.source)).toEqual(['x', 'y']);
    expect(findSecrets('nothing here', secrets)).toEqual([]);
  });
});
