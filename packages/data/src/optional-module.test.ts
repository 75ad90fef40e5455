import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catchError } from '../test/helpers';
import { requireOptional, resolvePackageRoot } from './optional-module';

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

describe('resolvePackageRoot', () => {
  it('finds the root of a package whose exports hide package.json (vega-datasets)', () => {
    const root = resolvePackageRoot('vega-datasets', 'test');
    expect(existsSync(join(root, 'package.json'))).toBe(true);
    expect(existsSync(join(root, 'data', 'sp500-2000.csv'))).toBe(true);
  });

  it('a missing package is UNSUPPORTED with the default hint', () => {
    const error = catchError(() => resolvePackageRoot('vega-datasets-not-installed', 'sample data "sp500"'), 'UNSUPPORTED');
    expect(error.message).toBe(
      'sample data "sp500" needs the optional peer dependency vega-datasets-not-installed, which is not installed: npm install vega-datasets-not-installed',
    );
  });
});
