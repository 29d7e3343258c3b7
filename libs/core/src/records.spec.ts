import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewsDir } from './paths';
import { listRecords, readRecord, recordPath, removeRecord, writeRecord, type PreviewRecord } from './records';

describe('preview records', () => {
  let ws: string;
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'ephenv-records-'));
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));
  const record: PreviewRecord = { project: 'm', provider: 'local', url: 'http://127.0.0.1:1', token: 't0k', pr: 'local', gitSha: 'abc', startedAt: new Date(0).toISOString() };

  it('are written readable by the owner only, since they hold the token', () => {
    writeRecord(ws, record);
    expect(statSync(recordPath(ws, 'm')).mode & 0o777).toBe(0o600);
    expect(statSync(previewsDir(ws)).mode & 0o777).toBe(0o700);
    expect(readRecord(ws, 'm')).toEqual(record);
  });

  it('list only well-formed records, and disappear when removed', () => {
    writeRecord(ws, record);
    writeRecord(ws, { ...record, project: 'n' });
    mkdirSync(previewsDir(ws), { recursive: true });
    writeFileSync(join(previewsDir(ws), 'junk.json'), '{"not": "a record"}');
    writeFileSync(join(previewsDir(ws), 'broken.json'), '{');
    expect(listRecords(ws).map((r) => r.project)).toEqual(['m', 'n']);
    removeRecord(ws, 'm');
    expect(readRecord(ws, 'm')).toBeUndefined();
  });

  it('an unreadable record says how to recover', () => {
    mkdirSync(previewsDir(ws), { recursive: true });
    writeFileSync(recordPath(ws, 'm'), '{');
    expect(() => readRecord(ws, 'm')).toThrow(/unreadable.*remove it and deploy again/);
  });
});
