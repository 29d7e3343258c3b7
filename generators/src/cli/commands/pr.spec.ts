import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReportWorkspace, type ReportWorkspace } from '@ephenv/report/testing';
import { publishJobSummary } from './pr';
import { linesTo } from '@ephenv/core';
import { reportCommand } from './report';

const workspaces: ReportWorkspace[] = [];
afterEach(() => {
  for (const w of workspaces.splice(0)) w.remove();
});
const quiet = linesTo(() => undefined);

describe('ephenv pr: the job summary', () => {
  it('appends the same report as the comment to $GITHUB_STEP_SUMMARY, after what earlier steps wrote', async () => {
    const w = createReportWorkspace('failing');
    workspaces.push(w);
    expect(await reportCommand(w.root, ['--pr', '7'], quiet, {})).toBe(0);
    const summary = join(w.root, 'step-summary.md');
    writeFileSync(summary, '## Tests\nall passed\n');

    expect(publishJobSummary(w.root, { GITHUB_STEP_SUMMARY: summary })).toBe(true);
    const comment = readFileSync(join(w.root, 'dist', 'ephenv', 'comment.md'), 'utf8');
    expect(comment).toContain('**PR #7**');
    expect(readFileSync(summary, 'utf8')).toBe(`## Tests\nall passed\n${comment}`);
  });

  it('writes nothing outside GitHub Actions or when there is no report', async () => {
    const w = createReportWorkspace('green');
    workspaces.push(w);
    const summary = join(w.root, 'step-summary.md');
    expect(publishJobSummary(w.root, { GITHUB_STEP_SUMMARY: summary })).toBe(false);
    expect(existsSync(summary)).toBe(false);
    await reportCommand(w.root, [], quiet, {});
    expect(publishJobSummary(w.root, {})).toBe(false);
    expect(existsSync(summary)).toBe(false);
  });
});
