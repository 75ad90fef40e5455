import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv (property)', () => {
  it('any text survives a round trip through a standard CSV parser', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string(), fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é') }), fc.integer()), {
          maxLength: 20,
        }),
        (rows) => {
          const text = toCsv(['a', 'b', 'c'], rows);
          const back = parse(text, { columns: true, skip_empty_lines: false, relax_column_count: false }) as Record<string, string>[];
          expect(back).toEqual(rows.map(([a, b, c]) => ({ a, b, c: String(c) })));
        },
      ),
      { numRuns: 200 },
    );
  });
});
