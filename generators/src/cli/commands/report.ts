import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizePr, stdioLogger, type Logger } from '@ephenv/core';
import { buildReport, ReportInputError, resultsRoot, buildHtmlReport } from '@ephenv/report';
import { REPORT_USAGE } from '../usage';

/** dist/ephenv/comment.md: where `report` writes the comment and `comment` reads it. */
export const defaultCommentFile = (workspaceRoot: string) => join(resultsRoot(workspaceRoot), 'comment.md');

/** dist/ephenv/report.html: where `ephenv pr` writes the HTML report and the workflow uploads it from. */
export const htmlReportFile = (workspaceRoot: string) => join(resultsRoot(workspaceRoot), 'report.html');

/** A path as the user would type it from here: relative below the current folder, else absolute. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * `ephenv report`: the PR comment from dist/ephenv, written to a file and printed. It reports,
 * it does not judge: 0 whatever the results say, 1 when an input is unreadable, 2 on usage errors.
 */
export async function reportCommand(workspaceRoot: string, args: string[], log: Logger = stdioLogger, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let out: string;
  let pr: string | undefined;
  let html: string | undefined;
  try {
    const { values } = parseArgs({ args, options: { out: { type: 'string' }, pr: { type: 'string' }, html: { type: 'string' } }, allowPositionals: false });
    out = values.out ? resolve(values.out) : defaultCommentFile(workspaceRoot);
    html = values.html === undefined ? undefined : resolve(values.html);
    if (html !== undefined && !/\.html?$/i.test(html)) throw new Error(`--html takes the page to write, ending in .html; got "${values.html}"`);
    pr = values.pr !== undefined ? normalizePr(values.pr) : undefined;
  } catch (e) {
    log.error(`ephenv report: ${(e as Error).message}\nusage: ${REPORT_USAGE}`);
    return 2;
  }
  try {
    const report = buildReport(workspaceRoot, { pr, env });
    for (const warning of report.warnings) log.warn(`ephenv report: warning: ${warning}`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, report.markdown);
    // The markdown ends with its newline, which the logger adds back: the bytes on stdout are the file's.
    log.info(report.markdown.replace(/\n$/, ''));
    log.warn(`ephenv report: written to ${displayPath(out)}`);
    if (html) {
      const page = buildHtmlReport(workspaceRoot, { pr, env });
      mkdirSync(dirname(html), { recursive: true });
      writeFileSync(html, page.html);
      log.warn(`ephenv report: HTML report of ${page.models} model(s) written to ${displayPath(html)} (${Math.round(page.html.length / 1024)} KB)`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof ReportInputError)) throw e;
    log.error(`ephenv report: ${e.message}`);
    return 1;
  }
}
