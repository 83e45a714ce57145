import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { sampleReport } from './testing/sample-report.ts';
import { CSV_COLUMNS, csvCell, toCsv } from './csv.ts';
import { OCSF_COMPLIANCE_FINDING_CLASS_UID, toOcsf } from './ocsf.ts';
import { toSarif } from './sarif.ts';

const here = resolve(import.meta.dirname, '..');
const outDir = join(here, 'test-output', 'formats');
mkdirSync(outDir, { recursive: true });
const python = process.env['SEG_PYTHON'];
const sarifSchema = createRequire(import.meta.url).resolve(
  '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
);

function validate(args: string[]): { status: number | null; out: string } {
  if (python === undefined)
    throw new Error('SEG_PYTHON is not set: run the tests through tools/jest (bootstrap first)');
  const run = spawnSync(python, [join(here, 'test', 'validate_json.py'), ...args], { encoding: 'utf8' });
  if (run.error) throw run.error;
  if (/ModuleNotFoundError/.test(run.stderr)) {
    throw new Error(`the validator lacks a Python package (bootstrap installs it): ${run.stderr}`);
  }
  return { status: run.status, out: run.stdout + run.stderr };
}

/** RFC 4180 parser for the round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}

describe('toOcsf', () => {
  const events = toOcsf(sampleReport());

  it('writes one Compliance Finding (class 2003) per finding, valid under the OCSF 1.8.0 schema', () => {
    expect(events).toHaveLength(sampleReport().findings.length);
    expect(events.every((e) => e['class_uid'] === OCSF_COMPLIANCE_FINDING_CLASS_UID)).toBe(true);
    const path = join(outDir, 'findings.ocsf.json');
    writeFileSync(path, JSON.stringify(events, null, 2));
    const result = validate(['ocsf', path]);
    expect(result.out).toContain('validated 8 document(s), 0 error(s)');
    expect(result.status).toBe(0);
  });

  it('maps results to compliance status and severities to severity_id', () => {
    const byUid = new Map(events.map((e) => [(e['metadata'] as { uid: string }).uid, e]));
    const fail = byUid.get(sampleReport().findings[4]!.id)!;
    expect(fail['compliance']).toMatchObject({ status_id: 3, control: 'cis-iam-no-full-admin-policy' });
    expect(fail['severity_id']).toBe(5);
    expect((fail['finding_info'] as { uid: string }).uid).toBe(sampleReport().findings[4]!.fingerprint);
    expect(byUid.get(sampleReport().findings[1]!.id)!['compliance']).toMatchObject({ status_id: 1 });
  });

  it('the schema check rejects an event that breaks the schema (the validator can fail)', () => {
    const broken = events.map((e) => ({ ...e }));
    broken[0]!['severity_id'] = 42;
    broken[1]!['not_an_ocsf_field'] = true;
    const path = join(outDir, 'broken.ocsf.json');
    writeFileSync(path, JSON.stringify(broken));
    const result = validate(['ocsf', path]);
    expect(result.status).toBe(1);
    expect(result.out).toContain('2 error(s)');
  });
});

describe('toSarif', () => {
  it('is valid under the SARIF 2.1.0 schema, with a rule per control and a result per non-passing finding', () => {
    const log = toSarif(sampleReport());
    const path = join(outDir, 'findings.sarif');
    writeFileSync(path, JSON.stringify(log, null, 2));
    const result = validate(['sarif', sarifSchema, path]);
    expect(result.out).toContain('validated 1 document(s), 0 error(s)');
    expect(result.status).toBe(0);
    interface SarifRun {
      tool: { driver: { rules: Array<{ id: string }> } };
      results: Array<{ kind: string; level: string }>;
    }
    const run = (log['runs'] as SarifRun[])[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      'cis-iam-no-full-admin-policy',
      'cis-network-sg-no-admin-ingress',
      'cis-storage-secure-transport',
    ]);
    expect(run.results).toHaveLength(6);
    const levels = run.results.map((r) => `${r.kind}/${r.level}`);
    expect(levels).toEqual([
      'fail/warning',
      'fail/error',
      'review/none',
      'fail/error',
      'open/none',
      'fail/note',
    ]);
  });

  it('with include_passing writes every finding, still valid', () => {
    const log = toSarif(sampleReport(), { include_passing: true });
    const path = join(outDir, 'all.sarif');
    writeFileSync(path, JSON.stringify(log));
    expect(validate(['sarif', sarifSchema, path]).status).toBe(0);
    expect((log['runs'] as Array<{ results: unknown[] }>)[0]!.results).toHaveLength(8);
  });

  it('the schema check rejects a log that breaks the schema', () => {
    const log = toSarif(sampleReport());
    (log['runs'] as Array<{ results: Array<{ level: string }> }>)[0]!.results[0]!.level = 'catastrophic';
    const path = join(outDir, 'broken.sarif');
    writeFileSync(path, JSON.stringify(log));
    const result = validate(['sarif', sarifSchema, path]);
    expect(result.status).toBe(1);
  });
});

describe('toCsv', () => {
  it('round-trips through an RFC 4180 parser with a header row', () => {
    const input = sampleReport();
    const rows = parseCsv(toCsv(input));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(input.findings.length + 1);
    const sg = rows[3]!;
    expect(sg[CSV_COLUMNS.indexOf('message')]).toBe('sg-1 opens 22, "ssh", to 0.0.0.0/0');
    expect(sg[CSV_COLUMNS.indexOf('control_title')]).toBe(
      'No security group allows admin ports from anywhere',
    );
    expect(rows[4]![CSV_COLUMNS.indexOf('message')]).toBe("'=cmd|/C calc!A0 looks odd\nsecond line");
  });

  it('quotes only when needed and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvCell('-1')).toBe("'-1");
  });
});
