import { describe, expect, it } from 'vitest';
import { xmlEscape } from '@ephenv/core';
import { formatTable, toJUnitXml } from '../src/report';
import type { CheckResult, ValidateReport } from '../src/types';
import { parseXml } from './helpers/xml';

const check = (part: CheckResult['part'], name: string, status: CheckResult['status'], message = `${name}: ${status}`, details?: string[]): CheckResult => ({
  part, name, status, message, durationMs: 12, ...(details && { details }),
});

const nasty = 'pointer /a~1b: must be <= 5 & "quoted" \'single\' \u0001 bell \u0007 <script>';

const report: ValidateReport = {
  project: 'iris-classifier',
  status: 'fail',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1234,
  parts: ['static', 'compatibility', 'live'],
  checks: [
    check('static', 'input schema compiles', 'pass'),
    check('static', 'example <setosa> & co', 'fail', nasty, [nasty, 'second line']),
    check('static', 'example virginica', 'warn'),
    check('compatibility', 'input schema vs main', 'fail', 'breaking change at /instances/*/x'),
    check('compatibility', 'output schema vs main', 'pass'),
    check('live', 'live checks', 'skip', 'no preview running'),
  ],
  compat: {
    base: 'main',
    allowBreaking: false,
    findings: [{ severity: 'breaking', direction: 'input', pointer: '/instances/*/x', schemaPointer: '#/properties/x', rule: 'new-required-request-property', new: 'required', reason: 'x is required now' }],
  },
  live: { ran: false, reason: 'no preview running' },
};

describe('JUnit XML', () => {
  const xml = toJUnitXml(report);
  const tree = parseXml(xml);

  it('is well-formed, with one testsuite per part and the right counts', () => {
    expect(tree.name).toBe('testsuites');
    expect(tree.attributes).toMatchObject({ tests: '6', failures: '2', skipped: '1', errors: '0', time: '1.234' });
    const suites = tree.children.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures, s.attributes.skipped, s.children.length]);
    expect(suites).toEqual([
      ['static', '3', '1', '0', 3],
      ['compatibility', '2', '1', '0', 2],
      ['live', '1', '0', '1', 1],
    ]);
    expect(tree.children[0].attributes.time).toBe('0.036');
  });

  it('escapes messages so that they read back exactly (forbidden characters replaced)', () => {
    const failing = tree.children[0].children[1];
    expect(failing.attributes).toMatchObject({ classname: 'iris-classifier.static', name: 'example <setosa> & co', time: '0.012' });
    const failure = failing.children[0];
    expect(failure.name).toBe('failure');
    const readable = nasty.replace(/[\u0001\u0007]/g, '\uFFFD');
    expect(failure.attributes.message).toBe(readable);
    expect(failure.text).toBe(`${readable}\nsecond line`);
    expect(tree.children[2].children[0].children[0]).toMatchObject({ name: 'skipped', attributes: { message: 'no preview running' } });
  });

  it('the checker itself rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a b="1" b="2"/>')).toThrow();
    expect(() => parseXml(`<a>${'\u0001'}</a>`)).toThrow();
    expect(() => parseXml(`<a>${xmlEscape(nasty)}</a>`)).not.toThrow();
  });
});

describe('terminal table', () => {
  it('aligns one line per check and lists failures and findings', () => {
    const text = formatTable(report);
    const rows = text.split('\n').filter((l) => /^ {2}[✓✗!-] +(static|compatibility|live) /.test(l));
    expect(rows).toHaveLength(6);
    const column = (needle: string) => new Set(rows.map((r) => r.indexOf(needle === 'time' ? '12 ms' : needle)));
    expect(column('time').size).toBe(1);
    expect(text).toContain('✗ static / example <setosa> & co:');
    expect(text).toMatch(/✗\s+breaking\s+input\s+\/instances\/\*\/x\s+new-required-request-property\s+none -> required/);
    expect(text).toContain('✗ failed: 2 passed, 2 failed, 1 warnings, 1 skipped');
    expect(text).toContain('live checks: no preview running');
  });
});
