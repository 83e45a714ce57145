import { describe, expect, it } from '@jest/globals';
import { progressListener, stderrProgress } from './scan-progress.ts';

function fakeStderr(isTTY: boolean): { text: () => string; stream: Record<string, unknown> } {
  let text = '';
  const stream = {
    isTTY,
    columns: 120,
    write: (t: string) => {
      text += t;
      return true;
    },
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    clearScreenDown: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { text: () => text, stream };
}

describe('stderrProgress', () => {
  it('draws a bar with counts and an ETA on a terminal', () => {
    const err = fakeStderr(true);
    const progress = stderrProgress({
      stdout: { write: () => true },
      stderr: err.stream as never,
      env: {},
      cwd: '/',
    });
    progress.start('inventory', 200);
    progress.update(200);
    progress.start('evaluate', 200);
    progress.update(100);
    progress.stop();
    expect(err.text()).toMatch(/inventoried\s+\[.*\] 200\/200 assets \| ETA /);
    expect(err.text()).toMatch(/evaluated\s+\[.*\] 100\/200 assets \| ETA /);
  });

  it('prints one line per finished phase when stderr is not a terminal', () => {
    const err = fakeStderr(false);
    const progress = stderrProgress({
      stdout: { write: () => true },
      stderr: err.stream as never,
      env: {},
      cwd: '/',
    });
    progress.start('inventory', 7);
    progress.update(7);
    progress.start('commit', 7);
    progress.stop();
    expect(err.text().split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^inventoried: 7 assets in \d+\.\d s$/),
      expect.stringMatching(/^committed: 7 assets in \d+\.\d s$/),
    ]);
  });
});

describe('progressListener', () => {
  it('starts each phase once with its total and forwards every count', () => {
    const calls: string[] = [];
    const listener = progressListener({
      start: (phase, total) => calls.push(`start ${phase} ${total}`),
      update: (done) => calls.push(`update ${done}`),
      stop: () => calls.push('stop'),
    });
    listener({ phase: 'inventory', done: 0, total: null });
    listener({ phase: 'inventory', done: 1000, total: null });
    listener({ phase: 'inventory', done: 1200, total: 1200 });
    listener({ phase: 'evaluate', done: 0, total: 1200 });
    listener({ phase: 'evaluate', done: 1200, total: 1200 });
    listener({ phase: 'commit', done: 0, total: 1200 });
    expect(calls).toEqual([
      'start inventory 0',
      'update 0',
      'update 1000',
      'update 1200',
      'start evaluate 1200',
      'update 0',
      'update 1200',
      'start commit 1200',
      'update 0',
    ]);
  });
});
