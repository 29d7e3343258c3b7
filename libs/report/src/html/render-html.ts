import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatUsd } from '../estimate-cost';
import type { ModelPageData } from './page-data';
import { CHARTS_SCRIPT } from './charts-script';

export interface HtmlPage {
  title: string;
  /** "PR #7 · commit 3f9c2d4 · 2026-12-04 15:00 UTC" */
  subtitle: string;
  models: ModelPageData[];
}

/** uPlot's build and stylesheet, read once: the page embeds them so it makes no network request. */
let uplot: { js: string; css: string } | undefined;
function uplotAssets() {
  if (!uplot) {
    const dist = dirname(createRequire(__filename).resolve('uplot/dist/uPlot.iife.min.js'));
    uplot = { js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
  }
  return uplot;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON inside <script>: no "</script>" or "<!--" can end or change it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** A figure as shown: the same rounding for the PR's and the baseline's. */
export function formatFigure(value: number | undefined, unit: ModelPageData['figures'][number]['unit']): string {
  if (value === undefined) return '—';
  if (unit === 'ms') return `${value.toFixed(2)} ms`;
  if (unit === '%') return `${value.toFixed(2)} %`;
  return `${value.toFixed(1)} req/s`;
}

const BADGE = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

function figuresTable(m: ModelPageData): string {
  if (m.figures.length === 0) return '<p class="none">No benchmark ran.</p>';
  const cell = (value: number | undefined, side: string, label: string, unit: ModelPageData['figures'][number]['unit']) =>
    `<td data-figure="${escapeHtml(label)}" data-side="${side}"${value === undefined ? '' : ` data-value="${value}"`}>${formatFigure(value, unit)}</td>`;
  const rows = m.figures.map((f) => `<tr><th>${escapeHtml(f.label)}</th>${cell(f.pr, 'pr', f.label, f.unit)}${cell(f.baseline, 'baseline', f.label, f.unit)}</tr>`).join('');
  return `<table class="figures"><thead><tr><th></th><th>this PR</th><th>baseline (main)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function validateTable(m: ModelPageData): string {
  if (!m.validate) return '<p class="none">Validation did not run.</p>';
  const rows = m.validate.checks
    .map((c) => `<tr class="${c.status}"><td>${escapeHtml(c.part)}</td><td>${escapeHtml(c.name)}</td><td data-check-status>${escapeHtml(c.status)}</td><td>${escapeHtml(c.message ?? '')}</td></tr>`)
    .join('');
  return (
    `<p data-validate-status="${escapeHtml(m.validate.status)}">Validation: <b>${escapeHtml(m.validate.status)}</b>, ${m.validate.breaking} breaking schema change(s).</p>` +
    `<details${m.validate.status === 'pass' ? '' : ' open'}><summary>${m.validate.checks.length} checks</summary><table class="checks"><thead><tr><th>part</th><th>check</th><th>status</th><th>message</th></tr></thead><tbody>${rows}</tbody></table></details>`
  );
}

function costBlock(m: ModelPageData): string {
  if (!m.cost) return '<p class="none">No cost estimate.</p>';
  if (m.cost.free) return '<p data-cost="free">Cost: $0 (local preview: processes on this machine or the CI runner).</p>';
  const partial = m.cost.complete ? '' : ' (incomplete: a price was missing)';
  return `<p data-cost="aws">Cost${partial}: ${formatUsd(m.cost.perHour)} per hour, ${formatUsd(m.cost.perThousandRequests)} per 1,000 requests, ${formatUsd(m.cost.soFar)} so far.</p>`;
}

function modelSection(m: ModelPageData, index: number): string {
  const charts = m.timeline
    ? ['latency', 'throughput', 'histogram', 'baseline']
        .map((kind) => `<figure class="chart" data-chart="${kind}" data-model-index="${index}"><figcaption>${CAPTIONS[kind]}</figcaption><div class="plot"></div></figure>`)
        .join('')
    : '<p class="none">No per-second timeline in benchmark.json (an older ephenv, or no benchmark).</p>';
  const failures = m.failures.length ? `<ul class="failures">${m.failures.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : '';
  return `<section class="model ${m.verdict}" data-project="${escapeHtml(m.project)}">
<h2><span class="badge">${BADGE[m.verdict]}</span> ${escapeHtml(m.project)}</h2>
${m.previewUrl ? `<p>Preview: <code>${escapeHtml(m.previewUrl)}</code></p>` : ''}${failures}
<h3>Benchmark</h3>${figuresTable(m)}
<div class="charts">${charts}</div>
<h3>Validation</h3>${validateTable(m)}
<h3>Cost</h3>${costBlock(m)}
</section>`;
}

const CAPTIONS: Record<string, string> = {
  latency: 'Latency over time (ms, per second): p50, p95, p99',
  throughput: 'Requests and errors per second',
  histogram: 'Latency histogram (whole run)',
  baseline: 'This PR beside the baseline (ms)',
};

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1240px}
h1{margin:0 0 4px}.sub{color:#59636e;margin:0 0 24px}section.model{border:1px solid #d1d9e0;border-radius:8px;padding:16px 20px;margin:0 0 24px}
section.fail{border-color:#cf222e}table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d1d9e0;padding:4px 10px;text-align:left}
td[data-value]{text-align:right;font-variant-numeric:tabular-nums}.charts{display:flex;flex-wrap:wrap;gap:16px}figure.chart{margin:0;width:580px}
figcaption{font-weight:600;margin:4px 0}.badge{font-size:12px;padding:2px 8px;border-radius:10px;background:#1a7f37;color:#fff;vertical-align:middle}section.fail .badge{background:#cf222e}section.warn .badge{background:#9a6700}tr.fail td{background:#ffebe9}tr.warn td{background:#fff8c5}.none{color:#59636e}`;

/** One self-contained page: uPlot, its stylesheet, the data and the drawing script inlined; a CSP forbids any fetch. */
export function renderHtml(page: HtmlPage): string {
  const { js, css } = uplotAssets();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${css}</style><style>${STYLE}</style>
</head><body>
<h1>${escapeHtml(page.title)}</h1><p class="sub">${escapeHtml(page.subtitle)}</p>
${page.models.length ? page.models.map(modelSection).join('\n') : '<p class="none">No model was part of this run.</p>'}
<script id="ephenv-data" type="application/json">${scriptJson(page.models)}</script>
<script>${js}</script>
<script>${CHARTS_SCRIPT}</script>
</body></html>
`;
}
