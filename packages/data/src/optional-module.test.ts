import { describe, expect, it } from 'vitest';
import { catchError } from '../test/helpers';
import { requireOptional } from './optional-module';

describe('requireOptional', () => {
  it('loads an installed package', () => {
    const csv = requireOptional<{ parse: unknown }>('csv-parse/sync', 'test');
    expect(typeof csv.parse).toBe('function');
  });

  it('a missing package is UNSUPPORTED, naming it, the feature and the install hint', () => {
    const error = catchError(() => requireOptional('danfojs-node-not-installed', 'toDataFrame', 'npm install it'), 'UNSUPPORTED');
    expect(error.message).toBe('toDataFrame needs the optional peer dependency danfojs-node-not-installed, which is not installed: npm install it');
    expect(error.details.field).toBe('danfojs-node-not-installed');
    expect(error.cause).toBeInstanceOf(Error);
  });
});
