import { createHash } from 'node:crypto';
import type { BarSeries } from './bar-series';

/**
 * Content hashes shared by every package that keys something by its content: run manifests,
 * sweep results and job ids, data references checked on another machine. One definition, so
 * equal content gives equal hashes wherever they are computed.
 */

/**
 * JSON with object keys sorted at every level, so equal values give equal text whatever order
 * their keys were written in. Arrays keep their order; `undefined` properties are dropped, as
 * `JSON.stringify` does.
 *
 * @example
 * canonicalJson({ b: 1, a: { d: 2, c: 3 } }); // '{"a":{"c":3,"d":2},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * sha256 of text (UTF-8) or bytes, as 64 lower-case hex digits.
 *
 * @example
 * sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * sha256 (hex) of a bar series' content: the symbol, then the time, open, high, low, close and
 * volume columns as float64 bytes. The same bars give the same hash whatever file or store they
 * came from.
 */
export function hashBarSeries(bars: BarSeries): string {
  const hash = createHash('sha256');
  hash.update(bars.symbol ?? '');
  for (const column of [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume]) {
    hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  }
  return hash.digest('hex');
}
