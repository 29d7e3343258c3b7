/** Text for a table cell: no pipe or line break that would end the cell or the table. */
export const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** An inline code span; backticks inside would end it early. */
export const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;

/** Text in HTML (a <summary>): GitHub renders it as HTML, not markdown. */
export const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A collapsible block; blank lines around the body let GitHub render its markdown. */
export function details(summary: string, body: string[], open = false): string[] {
  const end = body.length - [...body].reverse().findIndex((line) => line !== '');
  return [`<details${open ? ' open' : ''}><summary>${summary}</summary>`, '', ...body.slice(0, end), '', '</details>', ''];
}

/** Truncated, not rounded, to two decimals: the benchmark's own summary prints times this way. */
export const ms = (value: number) => `${Math.trunc(value * 100) / 100} ms`;

export function table(header: string[], rows: string[][], align?: string[]): string[] {
  return [`| ${header.join(' | ')} |`, `|${(align ?? header.map(() => '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** 2026-11-26 09:20 UTC */
export function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "in 71 h", "in 40 min", "2 h ago". */
export function relativeTime(target: Date, now: Date): string {
  const minutes = Math.round((target.getTime() - now.getTime()) / 60_000);
  const span = Math.abs(minutes) < 90 ? `${Math.abs(minutes)} min` : `${Math.round(Math.abs(minutes) / 60)} h`;
  return minutes >= 0 ? `in ${span}` : `${span} ago`;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
