import { AlgoTradingError } from '@algo-trading/core';

/**
 * Recognises files that are not CSV text from their first bytes, so that a gzip archive, an Excel
 * workbook, a Parquet file or a saved HTML error page gets an error that says what it is instead
 * of a puzzling complaint about a missing time column.
 */

/** How many leading bytes are inspected. */
export const SNIFF_BYTES = 64 * 1024;

function startsWith(bytes: Uint8Array, ...prefix: number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

/**
 * What the bytes are when they are evidently not CSV text (a phrase for a message, with a hint),
 * or undefined when they may be CSV. Looks at the first {@link SNIFF_BYTES} bytes: known file
 * signatures, UTF-16 byte-order marks, a NUL byte, and text that starts like JSON or HTML.
 */
export function describeNonCsv(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (startsWith(head, 0x1f, 0x8b)) return 'a gzip archive (starts with 1f 8b): decompress it first';
  if (startsWith(head, ...ascii('PK\u0003\u0004'))) return 'a ZIP archive (an Excel .xlsx workbook is one): export the sheet as CSV';
  if (startsWith(head, 0xd0, 0xcf, 0x11, 0xe0)) return 'an OLE2 document (an Excel .xls workbook is one): export the sheet as CSV';
  if (startsWith(head, ...ascii('PAR1'))) return 'a Parquet file: convert it to CSV first (for example with DuckDB or pandas)';
  if (startsWith(head, ...ascii('%PDF'))) return 'a PDF document';
  if (startsWith(head, ...ascii('SQLite format 3'))) return 'an SQLite database';
  if (startsWith(head, 0x42, 0x5a, 0x68)) return 'a bzip2 archive: decompress it first';
  if (startsWith(head, 0xfd, ...ascii('7zXZ'))) return 'an xz archive: decompress it first';
  if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) return 'a zstd archive: decompress it first';
  if (startsWith(head, 0xff, 0xfe) || startsWith(head, 0xfe, 0xff)) return 'UTF-16 text: save it as UTF-8';
  const nul = head.indexOf(0);
  if (nul >= 0) return `binary data (a NUL byte at offset ${nul}), not text`;
  let i = startsWith(head, 0xef, 0xbb, 0xbf) ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  const first = head[i];
  if (first === 0x7b || first === 0x5b) return 'JSON: parse it and pass the rows or columns to toBarSeries';
  // `<DATE>,<OPEN>,...` headers (MetaTrader, Finam exports) are CSV: only markup openings count.
  const start = Buffer.from(head.buffer, head.byteOffset + i, Math.min(16, head.length - i)).toString('latin1').toLowerCase();
  if (/^<(?:!doctype|html|\?xml|head|body)\b/.test(start)) return 'an HTML or XML document (a download that returned an error page?)';
  return undefined;
}

/** `UNSUPPORTED` when `bytes` are not CSV text, naming what they look like. */
export function assertCsvText(bytes: Uint8Array, where: string): void {
  const what = describeNonCsv(bytes);
  if (what === undefined) return;
  throw new AlgoTradingError('UNSUPPORTED', `${where} is not a CSV text file: it looks like ${what}`, {
    details: { field: 'csv', format: what.split(/[:(]/)[0]!.trim() },
  });
}
