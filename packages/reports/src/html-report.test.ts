import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { sampleReport, sampleRun } from './testing/sample-report.ts';
import { escapeHtml, renderHtmlReport } from './html-report.ts';

const CHROMIUM = '/usr/bin/chromium';
const outDir = join(resolve(import.meta.dirname, '..'), 'test-output', 'html-report');
const profile = mkdtempSync(join(tmpdir(), 'seg-chromium-'));

const history = [
  {
    ...sampleRun,
    run_id: '00000000-0000-4000-8000-000000000801',
    started_at: '2026-10-01T00:00:00Z',
    counts: { pass: 3, fail: 9, warn: 2 },
  },
  {
    ...sampleRun,
    run_id: '00000000-0000-4000-8000-000000000802',
    started_at: '2026-10-15T00:00:00Z',
    counts: { pass: 5, fail: 6, warn: 1 },
  },
];

let browser: BrowserContext;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (tools/bootstrap does: apt-get install chromium)`,
    );
  }
  // A fresh profile directory per run (launchPersistentContext passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('renderHtmlReport', () => {
  it('renders in headless Chromium with all four charts, no console errors and no requests', async () => {
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, 'report.html');
    writeFileSync(
      file,
      renderHtmlReport({ ...sampleReport(), history, generated_at: '2026-11-01T00:06:00Z' }),
    );
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 1000 });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    for (const chart of ['severity', 'control', 'framework', 'trend']) {
      const svg = page.locator(`figure[data-chart="${chart}"] svg`);
      await expect(svg.count()).resolves.toBe(1);
      const box = await svg.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(200);
      expect(box?.height ?? 0).toBeGreaterThan(20);
    }
    // Bars and series carry data: 4 fails by severity (critical 1, high 1, medium 1, info 1).
    await expect(page.locator('figure[data-chart="severity"] rect').count()).resolves.toBe(5);
    await expect(page.locator('figure[data-chart="control"] g.bar').count()).resolves.toBe(3);
    await expect(page.locator('figure[data-chart="framework"] g.bar').count()).resolves.toBe(4);
    await expect(page.locator('figure[data-chart="trend"] circle').count()).resolves.toBe(9);
    await expect(page.locator('[data-card="fail"] b').textContent()).resolves.toBe('4');
    await expect(page.locator('tbody tr').count()).resolves.toBe(4);
    // Escaped text shows literally; nothing from the findings became markup.
    await expect(page.locator('tbody').textContent()).resolves.toContain(
      'sg-1 opens 22, "ssh", to 0.0.0.0/0',
    );

    await page.screenshot({ path: join(outDir, 'report.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  });

  it('escapes markup in findings', () => {
    const report = sampleReport();
    const evil = { ...report.findings[0]!, message: '<script>alert(1)</script>' };
    const html = renderHtmlReport({ ...report, findings: [evil], generated_at: 'now' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeHtml(`a"b'c&`)).toBe('a&quot;b&#39;c&amp;');
  });
});
