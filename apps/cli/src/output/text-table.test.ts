import { describe, expect, it } from 'vitest';
import { cell, renderTextTable } from './text-table';

describe('renderTextTable', () => {
  it('aligns numeric columns right and text columns left', () => {
    expect(renderTextTable(['name', 'value'], [['a', '1.5'], ['long name', '-12.25']])).toBe(
      ['name        value', '---------  ------', 'a             1.5', 'long name  -12.25', ''].join('\n'),
    );
  });

  it('formats cells', () => {
    expect(cell(0.123456)).toBe('0.1235');
    expect(cell(2, 1)).toBe('2.0');
    expect(cell(NaN)).toBe('n/a');
    expect(cell(-Infinity)).toBe('-inf');
  });
});
