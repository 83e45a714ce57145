import type { Finding, Result, RunSummary, Severity } from '@neurocipher/seg-contracts';
import { PRODUCT_NAME, controlIndex } from './report-context.ts';
import type { ReportInput } from './report-context.ts';

/** Input of {@link renderHtmlReport}: one run's findings plus the summaries of earlier runs for the trend. */
export interface HtmlReportInput extends ReportInput {
  /** Summaries of the runs to chart as a trend (any order; the current run is added when missing). */
  history?: readonly RunSummary[];
  /** Shown as the report's generation time (pass it in: the renderer reads no clock). */
  generated_at: string;
}

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const RESULTS: readonly Result[] = ['fail', 'warn', 'error', 'pass', 'not_applicable'];
const SEVERITY_COLOR: Readonly<Record<Severity, string>> = {
  critical: '#7f1d1d',
  high: '#dc2626',
  medium: '#f59e0b',
  low: '#3b82f6',
  info: '#6b7280',
};
const RESULT_COLOR: Readonly<Record<Result, string>> = {
  fail: '#dc2626',
  warn: '#f59e0b',
  error: '#7c3aed',
  pass: '#16a34a',
  not_applicable: '#9ca3af',
};

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

interface Bar {
  label: string;
  value: number;
  color: string;
}

function horizontalBars(id: string, title: string, bars: readonly Bar[]): string {
  const rowH = 26;
  const labelW = 300;
  const plotW = 420;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * rowH + 10;
  const rows = bars
    .map((b, i) => {
      const y = 5 + i * rowH;
      const w = Math.round((b.value / max) * plotW);
      return (
        `<g class="bar"><text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(b.label)}</text>` +
        `<rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 8}" fill="${b.color}"><title>${escapeHtml(
          `${b.label}: ${b.value}`,
        )}</title></rect>` +
        `<text x="${labelW + w + 6}" y="${y + 17}">${b.value}</text></g>`
      );
    })
    .join('');
  const empty = bars.length === 0 ? `<text x="10" y="20">no data</text>` : '';
  return (
    `<figure class="chart" data-chart="${id}"><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${labelW + plotW + 60} ${height}" width="100%">` +
    `${rows}${empty}</svg></figure>`
  );
}

function stackedBars(
  id: string,
  title: string,
  groups: ReadonlyArray<{ label: string; parts: ReadonlyArray<{ result: Result; value: number }> }>,
): string {
  const rowH = 28;
  const labelW = 200;
  const plotW = 520;
  const height = Math.max(1, groups.length) * rowH + 40;
  const rows = groups
    .map((g, i) => {
      const y = 5 + i * rowH;
      const total = Math.max(
        1,
        g.parts.reduce((s, p) => s + p.value, 0),
      );
      let x = labelW;
      const rects = g.parts
        .filter((p) => p.value > 0)
        .map((p) => {
          const w = (p.value / total) * plotW;
          const rect = `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${
            RESULT_COLOR[p.result]
          }"><title>${escapeHtml(`${g.label} ${p.result}: ${p.value}`)}</title></rect>`;
          x += w;
          return rect;
        })
        .join('');
      return `<g class="bar"><text x="${labelW - 8}" y="${y + 18}" text-anchor="end">${escapeHtml(g.label)}</text>${rects}</g>`;
    })
    .join('');
  const legendY = height - 14;
  const legend = RESULTS.map(
    (r, i) =>
      `<rect x="${labelW + i * 100}" y="${legendY - 10}" width="12" height="12" fill="${RESULT_COLOR[r]}"/>` +
      `<text x="${labelW + i * 100 + 16}" y="${legendY}">${r}</text>`,
  ).join('');
  return (
    `<figure class="chart" data-chart="${id}"><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${labelW + plotW + 20} ${height}" width="100%">` +
    `${rows}${legend}</svg></figure>`
  );
}

function trendChart(id: string, title: string, runs: readonly RunSummary[]): string {
  const w = 760;
  const h = 240;
  const pad = 40;
  const series: Array<[Result, string]> = [
    ['fail', RESULT_COLOR.fail],
    ['pass', RESULT_COLOR.pass],
    ['warn', RESULT_COLOR.warn],
  ];
  const max = Math.max(1, ...runs.flatMap((r) => series.map(([k]) => r.counts[k] ?? 0)));
  const xOf = (i: number): number =>
    runs.length <= 1 ? w / 2 : pad + (i * (w - 2 * pad)) / (runs.length - 1);
  const yOf = (v: number): number => h - pad - (v / max) * (h - 2 * pad);
  const lines = series
    .map(([key, color]) => {
      const points = runs.map((r, i) => `${xOf(i).toFixed(1)},${yOf(r.counts[key] ?? 0).toFixed(1)}`);
      const dots = runs
        .map(
          (r, i) =>
            `<circle cx="${xOf(i).toFixed(1)}" cy="${yOf(r.counts[key] ?? 0).toFixed(1)}" r="4" fill="${color}">` +
            `<title>${escapeHtml(`${r.started_at} ${key}: ${r.counts[key] ?? 0}`)}</title></circle>`,
        )
        .join('');
      return `<polyline class="series" data-series="${key}" fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>${dots}`;
    })
    .join('');
  const axis =
    `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#9ca3af"/>` +
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#9ca3af"/>` +
    `<text x="${pad - 6}" y="${pad + 4}" text-anchor="end">${max}</text>` +
    `<text x="${pad - 6}" y="${h - pad}" text-anchor="end">0</text>` +
    runs
      .map(
        (r, i) =>
          `<text x="${xOf(i).toFixed(1)}" y="${h - pad + 16}" text-anchor="middle">${escapeHtml(r.started_at.slice(0, 10))}</text>`,
      )
      .join('');
  const legend = series
    .map(
      ([k, c], i) =>
        `<rect x="${pad + i * 90}" y="6" width="12" height="12" fill="${c}"/><text x="${pad + i * 90 + 16}" y="17">${k}</text>`,
    )
    .join('');
  return (
    `<figure class="chart" data-chart="${id}"><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${w} ${h}" width="100%">${axis}${lines}${legend}</svg></figure>`
  );
}

function count<T extends string>(
  findings: readonly Finding[],
  key: (f: Finding) => T | null,
): Map<T, number> {
  const out = new Map<T, number>();
  for (const f of findings) {
    const k = key(f);
    if (k !== null) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#111827;background:#f9fafb}
header{background:#111827;color:#f9fafb;padding:16px 24px}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#d1d5db;font-size:13px}main{padding:16px 24px;max-width:1200px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 16px;min-width:110px}
.card b{display:block;font-size:22px}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px;margin-top:16px}
figure.chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin:0;padding:12px}
figcaption{font-weight:600;margin-bottom:8px}svg text{font-size:12px;fill:#374151}
table{border-collapse:collapse;width:100%;background:#fff;margin-top:16px;font-size:13px}
th,td{border:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f3f4f6}
.sev{display:inline-block;padding:1px 6px;border-radius:4px;color:#fff;font-size:12px}code{font-size:12px}
`;

/**
 * One self-contained HTML report of a run: summary cards, four inline-SVG charts (failing findings by
 * severity, the controls with most failures, results by framework, the trend of pass/fail/warn across
 * runs) and the failing findings table (first 500). No script, no external resource: a
 * Content-Security-Policy of `default-src 'none'` makes the page load nothing from the network.
 * Every text from the findings is HTML-escaped. Pure; same input, same output.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const controls = controlIndex(input.controls);
  const failing = input.findings.filter((f) => f.result === 'fail');
  const byResult = count(input.findings, (f) => f.result);
  const bySeverity = count(failing, (f) => f.severity);
  const byControl = [...count(failing, (f) => f.control_id)].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
  );

  const severityChart = horizontalBars(
    'severity',
    'Failing findings by severity',
    SEVERITIES.map((s) => ({ label: s, value: bySeverity.get(s) ?? 0, color: SEVERITY_COLOR[s] })),
  );
  const controlChart = horizontalBars(
    'control',
    'Controls with the most failing findings',
    byControl.slice(0, 15).map(([id, value]) => ({
      label: id,
      value,
      color: SEVERITY_COLOR[controls.get(id)?.severity ?? 'medium'],
    })),
  );

  const frameworkCounts = new Map<string, Map<Result, number>>();
  for (const f of input.findings) {
    const names = new Set<string>([
      controls.get(f.control_id)?.benchmark ?? 'custom',
      ...Object.keys(input.frameworks?.[f.control_id] ?? {}),
    ]);
    for (const name of names) {
      const m = frameworkCounts.get(name) ?? new Map<Result, number>();
      m.set(f.result, (m.get(f.result) ?? 0) + 1);
      frameworkCounts.set(name, m);
    }
  }
  const frameworkChart = stackedBars(
    'framework',
    'Results by framework',
    [...frameworkCounts.keys()].sort().map((name) => ({
      label: name,
      parts: RESULTS.map((r) => ({ result: r, value: frameworkCounts.get(name)?.get(r) ?? 0 })),
    })),
  );

  const runs = [...(input.history ?? [])];
  if (input.run && !runs.some((r) => r.run_id === input.run?.run_id)) runs.push(input.run);
  runs.sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : 0));
  const trend = trendChart('trend', 'Trend across runs', runs);

  const cards = [
    ['findings', input.findings.length],
    ...RESULTS.map((r) => [r, byResult.get(r) ?? 0] as const),
    ['controls', new Set(input.findings.map((f) => f.control_id)).size],
    ['assets', new Set(input.findings.map((f) => f.asset.urn)).size],
  ]
    .map(
      ([label, value]) =>
        `<div class="card" data-card="${label}"><b>${value}</b>${escapeHtml(String(label))}</div>`,
    )
    .join('');

  const severityRank = new Map(SEVERITIES.map((s, i) => [s, i]));
  const rows = [...failing]
    .sort(
      (a, b) =>
        (severityRank.get(a.severity) ?? 9) - (severityRank.get(b.severity) ?? 9) ||
        (a.control_id < b.control_id ? -1 : a.control_id > b.control_id ? 1 : 0) ||
        (a.asset.urn < b.asset.urn ? -1 : 1),
    )
    .slice(0, 500)
    .map(
      (f) =>
        `<tr><td><span class="sev" style="background:${SEVERITY_COLOR[f.severity]}">${f.severity}</span></td>` +
        `<td>${escapeHtml(f.control_id)}<br><small>${escapeHtml(controls.get(f.control_id)?.title ?? '')}</small></td>` +
        `<td><code>${escapeHtml(f.asset.urn)}</code></td><td>${escapeHtml(f.message)}</td></tr>`,
    )
    .join('');
  const more = failing.length > 500 ? `<p>${failing.length - 500} more failing findings not shown.</p>` : '';
  const scope = input.run
    ? `tenant ${escapeHtml(input.run.scope.org_id)} · run ${escapeHtml(input.run.run_id)} · `
    : '';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SEG report${input.run ? ` · ${escapeHtml(input.run.run_id)}` : ''}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(PRODUCT_NAME)} · compliance report</h1>
<p>${scope}generated ${escapeHtml(input.generated_at)} · seg ${escapeHtml(input.tool_version)}</p></header>
<main>
<section class="cards">${cards}</section>
<section class="grid">${severityChart}${controlChart}${frameworkChart}${trend}</section>
<h2>Failing findings</h2>
<table><thead><tr><th>Severity</th><th>Control</th><th>Asset</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table>
${more}
</main>
</body>
</html>
`;
}
