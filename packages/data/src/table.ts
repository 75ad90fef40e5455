import { AlgoTradingError, describeValue } from '@algo-trading/core';

/**
 * A read-only view of tabular input (CSV records, row objects, columns, a DataFrame) that the
 * series builder reads cell by cell, with positions for error messages.
 */
export interface Table {
  /** Column names (header names, object keys, or `column 1`, ... when there is no header). */
  readonly names: readonly string[];
  /** Number of data rows. */
  readonly rowCount: number;
  /** The raw value at a data row and column. */
  cell(row: number, column: number): unknown;
  /** Where a data row is, for messages: `line 7`, `row 3`, `index 3`. */
  where(row: number): string;
  /** The number stored as `details.index` of an error: 1-based line in files, 0-based row otherwise. */
  position(row: number): number;
  /** Cells are text read from a file: unreadable cells are `PARSE_ERROR` (else `INVALID_DATA`). */
  readonly fromText: boolean;
  /** What the table is, for messages: `CSV header`, `row objects`, ... */
  readonly what: string;
}

/** CSV records (header removed) and the (1-based) line of each record. */
export function csvTable(names: readonly string[], records: readonly (readonly string[])[], lineOf: (row: number) => number): Table {
  return {
    names,
    rowCount: records.length,
    cell: (row, column) => records[row]![column],
    where: (row) => `line ${lineOf(row)}`,
    position: lineOf,
    fromText: true,
    what: 'CSV header',
  };
}

/** An array of row objects; the columns are the keys of the first row. */
export function rowsTable(rows: readonly unknown[]): Table {
  const first = rows[0];
  if (typeof first !== 'object' || first === null || Array.isArray(first)) {
    throw new AlgoTradingError('INVALID_DATA', `rows[0] must be a row object such as { time, open, high, low, close }, got ${describeValue(first)}`, {
      details: { field: 'rows', index: 0, value: first },
    });
  }
  const names = Object.keys(first);
  return {
    names,
    rowCount: rows.length,
    cell: (row, column) => {
      const r = rows[row];
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        throw new AlgoTradingError('INVALID_DATA', `row ${row} must be a row object, got ${describeValue(r)}`, {
          details: { field: 'rows', index: row, value: r },
        });
      }
      return (r as Record<string, unknown>)[names[column]!];
    },
    where: (row) => `row ${row}`,
    position: (row) => row,
    fromText: false,
    what: 'row objects',
  };
}

/** True for arrays and typed arrays (the column values {@link columnsTable} accepts). */
export function isColumnArray(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** An object of equally long arrays, e.g. `{ time, open, high, low, close, volume }`. */
export function columnsTable(columns: Readonly<Record<string, unknown>>, what = 'columns'): Table {
  const names = Object.keys(columns);
  const values: ArrayLike<unknown>[] = [];
  let length = -1;
  let lengthFrom = '';
  for (const name of names) {
    const v = columns[name];
    if (!isColumnArray(v)) {
      throw new AlgoTradingError('INVALID_DATA', `column ${name} must be an array, got ${describeValue(v)}`, {
        details: { field: name, value: v },
      });
    }
    if (length >= 0 && v.length !== length) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `column ${name} has ${v.length} values but column ${lengthFrom} has ${length}: every column must have the same length`,
        { details: { field: name, value: v.length } },
      );
    }
    if (length < 0) {
      length = v.length;
      lengthFrom = name;
    }
    values.push(v);
  }
  return {
    names,
    rowCount: Math.max(length, 0),
    cell: (row, column) => values[column]![row],
    where: (row) => `index ${row}`,
    position: (row) => row,
    fromText: false,
    what,
  };
}
