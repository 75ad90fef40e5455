import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectGitCommit } from './code-version';

describe('detectGitCommit', () => {
  it('is the commit of the working tree, and null outside git', async () => {
    expect(await detectGitCommit()).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
    const outside = mkdtempSync(join(tmpdir(), 'no-git-'));
    try {
      expect(await detectGitCommit(outside)).toBeNull();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
