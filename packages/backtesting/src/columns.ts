/** A copy of a log's column with room for `capacity` values (the logs' columns grow by doubling). */
export function grown<T extends Int32Array | Float64Array | Uint8Array>(column: T, capacity: number): T {
  const out = new (column.constructor as new (length: number) => T)(capacity);
  out.set(column);
  return out;
}
