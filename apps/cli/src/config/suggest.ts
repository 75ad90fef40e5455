import { defaultConfig } from './schema';

/** The keys `config.yaml` allows at a dotted path (`[]` is the top level); empty for a leaf. */
export function knownKeysAt(path: readonly string[]): string[] {
  let node: unknown = defaultConfig();
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !(key in node)) return [];
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'object' && node !== null ? Object.keys(node) : [];
}

function editDistance(a: string, b: string): number {
  const previous = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/**
 * The known key closest to a misspelt one (case-insensitive edit distance), or undefined when
 * nothing is close enough to be a plausible typo.
 */
export function closestKey(key: string, candidates: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}
