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

  it('draws a cli-progress bar on a terminal', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let out = '';
    stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const reporter = createProgressReporter({ stream });
    expect(reporter.mode).toBe('bar');
    const task = reporter.start('folds', 4);
    task.update(2, 'fold 2');
    task.done();
    expect(out).toContain('folds [');
    expect(out).toContain('4/4');
  });

  it('is silent when quiet', () => {
    expect(createProgressReporter({ mode: 'none' })).toBe(silentProgress);
    const task = silentProgress.start('x', 3);
    expect(() => {
      task.update(1);
      task.done();
    }).not.toThrow();
  });
});
