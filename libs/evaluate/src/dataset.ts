import type { EvaluateConfig } from '@ephenv/core';
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import type { Label } from './metrics/labels';

/** One evaluation example: the instance sent to the model and the answer it should give. */
export interface EvalRow {
  /** 1-based line (JSONL) or record number (CSV), for messages. */
  line: number;
  instance: unknown;
  expected: Label;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV cell as JSON: a number when it reads as one, else the text. */
const cell = (text: string): string | number => (NUMBER.test(text.trim()) ? Number(text) : text);

/**
 * Reads the evaluation set: JSON Lines of {"request": <one instance>, "expected": <label or value>},
 * or CSV whose header names the columns (`data.features` maps request fields to columns; default
 * every column but `data.label`). Errors name the file and the line.
 */
export function readDataset(data: EvaluateConfig['data'], hint: string): EvalRow[] {
  if (!existsSync(data.file)) throw new Error(`evaluation data ${data.file} not found; ${hint}`);
  const text = readFileSync(data.file, 'utf8');
  const rows = data.format === 'csv' ? readCsv(text, data) : readJsonl(text, data.file);
  if (rows.length === 0) throw new Error(`evaluation data ${data.file} has no examples`);
  return rows;
}

function readJsonl(text: string, file: string): EvalRow[] {
  const rows: EvalRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message}); each line is {"request": ..., "expected": ...}`);
    }
    const row = value as { request?: unknown; expected?: unknown };
    if (row === null || typeof row !== 'object' || !('request' in row) || !('expected' in row)) {
      throw new Error(`${file}:${i + 1}: each line is {"request": <one instance>, "expected": <label or value>}; "request" or "expected" is missing`);
    }
    if (typeof row.expected !== 'string' && typeof row.expected !== 'number') {
      throw new Error(`${file}:${i + 1}: "expected" must be a class name, a class number or a value; got ${JSON.stringify(row.expected)}`);
    }
    rows.push({ line: i + 1, instance: row.request, expected: row.expected });
  });
  return rows;
}

function readCsv(text: string, data: EvaluateConfig['data']): EvalRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    throw new Error(`${data.file}: not valid CSV: ${(e as Error).message}`);
  }
  if (records.length === 0) return [];
  const header = Object.keys(records[0]);
  if (!header.includes(data.label)) {
    throw new Error(`${data.file}: no label column "${data.label}" (columns: ${header.join(', ')}); set ephenv.json evaluate.data.label`);
  }
  const features = data.features ?? Object.fromEntries(header.filter((c) => c !== data.label).map((c) => [c, c]));
  const missing = Object.values(features).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new Error(`${data.file}: evaluate.data.features names column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that the header does not have (columns: ${header.join(', ')})`);
  }
  return records.map((r, i) => ({
    line: i + 2,
    instance: Object.fromEntries(Object.entries(features).map(([field, column]) => [field, cell(r[column])])),
    expected: cell(r[data.label]),
  }));
}
