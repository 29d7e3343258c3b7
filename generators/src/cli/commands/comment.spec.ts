import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '@ephenv/report';
import { startFakeGitHub, type FakeGitHub, createReportWorkspace, type ReportWorkspace } from '@ephenv/report/testing';
import { commentCommand } from './comment';
import type { Logger } from '@ephenv/core';
import { reportCommand } from './report';

let github: FakeGitHub;
const workspaces: ReportWorkspace[] = [];
const noWait = { msPerSecondOfWait: 1, writeSpacingMs: 0 };

beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.close());
afterEach(() => {
  const violations = [...github.violations];
  github.reset();
  expect(violations).toEqual([]);
  for (const w of workspaces.splice(0)) w.remove();
});

/** A Logger that keeps the bytes the CLI would print: info on stdout, warnings and errors on stderr. */
function capture(): Logger & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    info: (line: string) => void (io.stdout += `${line}\n`),
    warn: (line: string) => void (io.stderr += `${line}\n`),
    error: (line: string) => void (io.stderr += `${line}\n`),
  };
  return io;
}

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ GITHUB_TOKEN: github.token, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url, ...extra });

function workspace(scenario: 'green' | 'failing'): ReportWorkspace {
  const w = createReportWorkspace(scenario);
  workspaces.push(w);
  return w;
}

describe('ephenv comment', () => {
  it('posts the report once, then updates the same comment on the next run', async () => {
    const w = workspace('failing');
    expect(await reportCommand(w.root, [], capture(), {})).toBe(0);
    const first = capture();
    expect(await commentCommand(w.root, ['--pr', '5'], first, env(), noWait)).toBe(0);
    expect(first.stdout).toMatch(/^ephenv comment: created the preview comment on acme\/models#5: https:\/\/github\.com\/acme\/models\/pull\/5#issuecomment-\d+\n$/);

    // The next push: everything green now.
    const fixed = workspace('green');
    expect(await reportCommand(fixed.root, [], capture(), {})).toBe(0);
    const second = capture();
    expect(await commentCommand(fixed.root, ['--pr', '5'], second, env(), noWait)).toBe(0);
    expect(second.stdout).toContain('updated the preview comment on acme/models#5');
    const comments = github.comments.get(5)!;
    expect(comments).toHaveLength(1);
    expect(comments[0].body.startsWith(`${COMMENT_MARKER}\n## ✅ Preview environments: all green`)).toBe(true);
  });

  it("takes the PR from the GitHub Actions event when --pr is not given", async () => {
    const w = workspace('green');
    await reportCommand(w.root, [], capture(), {});
    const event = join(w.root, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 31 } }));
    expect(await commentCommand(w.root, [], capture(), env({ GITHUB_EVENT_PATH: event }), noWait)).toBe(0);
    expect(github.comments.get(31)).toHaveLength(1);

    const io = capture();
    expect(await commentCommand(w.root, [], io, env(), noWait)).toBe(2);
    expect(io.stderr).toContain('--pr is required outside a pull_request event');
  });

  it('explains a missing GITHUB_TOKEN or report file, before calling GitHub', async () => {
    const w = workspace('green');
    let io = capture();
    expect(await commentCommand(w.root, ['--pr', '5'], io, env(), noWait)).toBe(1);
    expect(io.stderr).toContain('dist/ephenv/comment.md not found: write it first with "npx ephenv report"');

    await reportCommand(w.root, [], capture(), {});
    io = capture();
    expect(await commentCommand(w.root, ['--pr', '5'], io, env({ GITHUB_TOKEN: '' }), noWait)).toBe(1);
    expect(io.stderr).toContain('GITHUB_TOKEN is not set');
    expect(io.stderr).toContain('env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}');
    expect(io.stderr).toContain('permissions: pull-requests: write');
    expect(github.requests).toEqual([]);
  });

  it('refuses to post a file holding a preview token, without printing it', async () => {
    const w = workspace('green');
    const token = 'Zq3v9XkLm2Pw8RtY6uJh4GfD1sAeC7bN5oKiU0yTxWc';
    w.recordPreview('iris-classifier', token);
    const file = join(w.root, 'hand-written.md');
    writeFileSync(file, `${COMMENT_MARKER}\ncurl -H "Authorization: Bearer ${token}"\n`);
    const io = capture();
    expect(await commentCommand(w.root, ['--pr', '5', '--file', file], io, env(), noWait)).toBe(1);
    expect(io.stderr).toContain('refusing to post');
    expect(io.stderr).toContain('.ephenv/previews/iris-classifier.json');
    expect(io.stdout + io.stderr).not.toContain(token);
    expect(github.requests).toEqual([]);
  });

  it('maps a rejected token to exit 1 and a message without the token', async () => {
    const w = workspace('green');
    await reportCommand(w.root, [], capture(), {});
    const wrong = 'ghs_expiredTokenValue_0123456789abcdef';
    const io = capture();
    expect(await commentCommand(w.root, ['--pr', '5'], io, env({ GITHUB_TOKEN: wrong }), noWait)).toBe(1);
    expect(io.stderr).toContain('401 ("Bad credentials")');
    expect(io.stdout + io.stderr).not.toContain(wrong);
  });
});
