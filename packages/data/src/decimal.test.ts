import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '@algo-trading/core';
import { nearestDouble } from './decimal';

/** A string of significant digits as mh (all but the last 8) and ml (the last 8). */
function split(digits: string): [number, number] {
  return [Number(digits.slice(0, -8)), Number(digits.slice(-8))];
}

describe('nearestDouble', () => {
  it('gives the double Number() gives for full-precision prices', () => {
    let checked = 0;
    for (const text of ['100.13796864935145', '0.30000000000000004', '123456789.0123456789', '9007199254740991.25', '1.7976931348623157e-300']) {
      const [int, frac = ''] = text.split('e')[0]!.split('.');
      const exp = Number(text.split('e')[1] ?? 0);
      const digits = `${int}${frac}`.replace(/^0+/, '');
      if (digits.length < 16 || digits.length > 19 || Math.abs(exp - frac.length) > 22) continue;
      const [mh, ml] = split(digits);
      expect(nearestDouble(mh, ml, exp - frac.length), text).toBe(Number(text));
      checked++;
    }
    expect(checked).toBe(4);
  });

  it('leaves exact ties and powers of two undecided (NaN) instead of guessing', () => {
    // 2^53 + 1 and 2^53 + 3 lie exactly between two doubles.
    expect(nearestDouble(...split('9007199254740993'), 0)).toBeNaN();
    expect(nearestDouble(...split('9007199254740995'), 0)).toBeNaN();
    expect(nearestDouble(...split('1000000000000000'), 0)).toBe(1e15);
    expect(nearestDouble(...split('1234567890123456'), 30)).toBeNaN(); // 10^30 is not exact
  });

  it('property: equals Number(text) whenever it decides, on 200,000 random 16-19 digit decimals', () => {
    const rng = createSeededRandom(20_240_102);
    let undecided = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const length = 16 + rng.nextInt(4);
      let digits = String(1 + rng.nextInt(9));
      while (digits.length < length) digits += String(rng.nextInt(10));
      const power = rng.nextInt(45) - 22;
      const [mh, ml] = split(digits);
      const value = nearestDouble(mh, ml, power);
      if (Number.isNaN(value)) {
        undecided++;
        continue;
      }
      const expected = Number(`${digits}e${power}`);
      if (value !== expected) expect(value, `${digits}e${power}`).toBe(expected);
    }
    expect(undecided / n).toBeLessThan(0.01);
  });

  it('property (fast-check): decimals written from doubles read back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), (x) => {
        const text = x.toPrecision(17);
        const [mantissa, exp = '0'] = text.split('e');
        const [int, frac = ''] = mantissa!.split('.');
        const digits = `${int}${frac}`.replace(/^0+/, '');
        if (digits.length < 16 || digits.length > 19) return;
        const power = Number(exp) - frac.length;
        if (Math.abs(power) > 22) return;
        const value = nearestDouble(...split(digits), power);
        if (!Number.isNaN(value)) expect(value).toBe(Number(text));
      }),
      { numRuns: 5000 },
    );
  });
});
