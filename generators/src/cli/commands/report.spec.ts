import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '@ephenv/report';
import { createReportWorkspace, type ReportWorkspace } from '@ephenv/report/testing';
import { reportCommand, type CommandIo } from './report';

const workspaces: ReportWorkspace[] = [];
afterEach(() => {
  for (const w of workspaces.splice(0)) w.remove();
});

function capture(): CommandIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

describe('ephenv report', () => {
  it('writes dist/ephenv/comment.md, prints it, and exits 0 even when a model failed', async () => {
    const w = createReportWorkspace('failing');
    workspaces.push(w);
    const io = capture();
    expect(await reportCommand(w.root, [], io, {})).toBe(0);
    const written = readFileSync(join(w.root, 'dist', 'ephenv', 'comment.md'), 'utf8');
    expect(written.startsWith(`${COMMENT_MARKER}\n## ❌`)).toBe(true);
    expect(io.stdout).toBe(written);
    expect(io.stderr).toContain('ephenv report: written to ');
  });

  it('writes to --out and names --pr in the header', async () => {
    const w = createReportWorkspace('green');
    workspaces.push(w);
    const out = join(w.root, 'reports', 'pr.md');
    expect(await reportCommand(w.root, ['--out', out, '--pr', '12'], capture(), {})).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('**PR #12**');
    expect(existsSync(join(w.root, 'dist', 'ephenv', 'comment.md'))).toBe(false);
  });

  it('exits 2 on a bad flag or PR number, 1 on an unreadable input', async () => {
    const w = createReportWorkspace('green');
    workspaces.push(w);
    let io = capture();
    expect(await reportCommand(w.root, ['--pr', 'twelve'], io, {})).toBe(2);
    expect(io.stderr).toContain('--pr must be a pull request number');
    expect(io.stderr).toContain('usage: ephenv report [--out <file>] [--pr <n>]');
    expect(await reportCommand(w.root, ['--verbose'], capture(), {})).toBe(2);

    w.writeResult('not json', 'iris-classifier', 'benchmark.json');
    io = capture();
    expect(await reportCommand(w.root, [], io, {})).toBe(1);
    expect(io.stderr).toMatch(/^ephenv report: cannot read dist\/ephenv\/iris-classifier\/benchmark\.json/);
    expect(io.stdout).toBe('');
  });

  it('warns on stderr, without the token, when an input holds a preview token', async () => {
    const w = createReportWorkspace('green');
    workspaces.push(w);
    const token = 'tok_9f8e7d6c5b4a3210fedcba9876543210';
    w.recordPreview('iris-classifier', token);
    const preview = w.readResult('iris-classifier', 'preview.json');
    preview.access.token.note = `token ${token}`;
    w.writeResult(preview, 'iris-classifier', 'preview.json');
    const io = capture();
    expect(await reportCommand(w.root, [], io, {})).toBe(0);
    expect(io.stderr).toContain('warning: dist/ephenv/iris-classifier/preview.json contains the secret from .ephenv/previews/iris-classifier.json');
    expect(io.stdout + io.stderr + readFileSync(join(w.root, 'dist', 'ephenv', 'comment.md'), 'utf8')).not.toContain(token);
  });
});
