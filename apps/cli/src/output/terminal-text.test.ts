import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ApplyResult, RemediationPlan } from '@neurocipher/seg-contracts';
import { toCsv } from '@neurocipher/seg-reports';
import { sampleReport } from '@neurocipher/seg-reports/testing';
import { renderDiff } from '../commands/findings.command.ts';
import { renderStepRun } from '../remediation/render-remediation.ts';
import { renderFindings } from './render-findings.ts';
import { terminalControls } from '../testing/terminal-controls.ts';
import { terminalText } from './terminal-text.ts';

const HOSTILE = 'a\u001b[2J\u001b]0;title\u0007\u009b31m\u202eb\u2066c\r\nd\u0000e';

function hostileReport() {
  const report = sampleReport();
  const [first, ...rest] = report.findings;
  const findings = [
    { ...first!, asset: { urn: `urn:asset:aws:bucket:${HOSTILE.replace(/\s/g, '')}` }, message: HOSTILE },
    ...rest,
  ];
  const controls = report.controls.map((c, i) => (i === 0 ? { ...c, title: HOSTILE } : c));
  return { ...report, findings, controls, run: { ...report.run!, run_id: HOSTILE } };
}

describe('terminalText', () => {
  it('escapes C0, DEL, C1, separators and bidi controls, keeps printable text', () => {
    expect(terminalText(HOSTILE)).toBe('a\\x1b[2J\\x1b]0;title\\x07\\x9b31m\\u202eb\\u2066c\\r\\nd\\x00e');
    expect(terminalText('naïve 日本 🙂 tab\tend\u007f')).toBe('naïve 日本 🙂 tab\\tend\\x7f');
  });

  it('leaves nothing a terminal acts on, and is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const safe = terminalText(text);
        expect(terminalControls(safe)).toEqual([]);
        expect(safe).not.toContain('\n');
        expect(terminalText(safe)).toBe(safe);
      }),
    );
  });
});

describe('human formats', () => {
  it.each(['table', 'summary'] as const)('%s escapes the control characters of the data', (format) => {
    const text = renderFindings(format, hostileReport());
    expect(terminalControls(text)).toEqual([]);
    expect(text).toContain('a\\x1b[2J');
  });

  it('table keeps one line per finding when a message holds a newline', () => {
    const report = hostileReport();
    expect(renderFindings('table', report).trimEnd().split('\n')).toHaveLength(report.findings.length + 1);
  });

  it('the diff text escapes the control characters of the data', () => {
    const [a, b] = hostileReport().findings.map((finding) => ({
      finding,
      org_id: 'demo',
      run_id: 'r',
      committed_at: '2026-11-01T00:00:00Z',
    }));
    const text = renderDiff(
      { new: [a!], changed: [{ before: a!, after: b! }], resolved: [a!], unchanged: [] },
      HOSTILE,
      'head',
    );
    expect(text.trimEnd().split('\n')).toHaveLength(4);
    expect(terminalControls(text)).toEqual([]);
  });
  it('the apply text escapes what a provider answered', () => {
    const plan = { steps: [{ action: `s3:Put${HOSTILE}` }] } as unknown as RemediationPlan;
    const result = {
      plan_id: 'p',
      status: 'failed',
      results: [{ step_index: 0, status: 'failed', message: HOSTILE }],
    } as unknown as ApplyResult;
    const text = renderStepRun('apply', plan, result);
    expect(text.trimEnd().split('\n')).toHaveLength(2);
    expect(terminalControls(text)).toEqual([]);
  });
});

describe('machine formats', () => {
  it('JSON keeps the data exact', () => {
    const report = hostileReport();
    const parsed = JSON.parse(renderFindings('json', report)) as { findings: Array<{ message: string }> };
    expect(parsed.findings[0]!.message).toBe(HOSTILE);
  });

  it('CSV keeps the data exact and quotes the cell holding CR/LF', () => {
    const csv = toCsv(hostileReport());
    expect(csv).toContain(`,"${HOSTILE}",`);
    expect(csv).toContain(`,urn:asset:aws:bucket:${HOSTILE.replace(/\s/g, '')},`);
  });
});
