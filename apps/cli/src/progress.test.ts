import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, silentProgress } from './progress';

function recordingLogger() {
  const lines: string[] = [];
  const log = (a: unknown, b?: unknown) => void lines.push(typeof a === 'string' ? a : String(b));
  return { lines, logger: { debug: log, info: log, warn: log, error: log } };
}

describe('progress reporting', () => {
  it('writes plain log lines when not on a terminal', () => {
    const { lines, logger } = recordingLogger();
    const stream = new PassThrough();
    const reporter = createProgressReporter({ stream, logger });
    expect(reporter.mode).toBe('log');
    const task = reporter.start('training', 8);
    for (let i = 1; i <= 8; i++) task.update(i, `loss ${i}`);
    task.done('8 epochs');
    expect(lines[0]).toBe('training: started (8 steps)');
    expect(lines.at(-1)).toBe('training: done (8 epochs)');
    // At most every quarter of the work, never on every step.
    expect(lines.length).toBeLessThan(8);
    expect(lines).toEqual([
      'training: started (8 steps)',
      'training: 1/8 (loss 1)',
      'training: 3/8 (loss 3)',
      'training: 5/8 (loss 5)',
      'training: 7/8 (loss 7)',
      'training: done (8 epochs)',
    ]);
  });

  it('draws a cli-progress bar on a terminal: empty at the start, full with its status when done', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let out = '';
    stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const reporter = createProgressReporter({ stream });
    expect(reporter.mode).toBe('bar');
    const task = reporter.start('folds', 4);
    // The bar is 30 characters of the shades preset: light shade empty, full block complete.
    expect(out).toContain(`folds [${'\u2591'.repeat(30)}] 0/4`);
    task.update(2, 'fold 2');
    task.done();
    expect(out).toContain(`folds [${'\u2588'.repeat(30)}] 4/4 done`);
    // Nothing is drawn after done: a late update or a second done changes nothing.
    const finished = out;
    task.update(1, 'late');
    task.done('again');
    expect(out).toBe(finished);
  });

  it('is silent when quiet: nothing on the stream, nothing logged', () => {
    const { lines, logger } = recordingLogger();
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const reporter = createProgressReporter({ mode: 'none', stream, logger });
    expect(reporter).toBe(silentProgress);
    expect(reporter.mode).toBe('none');
    const task = reporter.start('x', 3);
    task.update(1, 'one');
    task.done('finished');
    expect(out).toBe('');
    expect(lines).toEqual([]);
  });
});
