import type { OrderRequest } from '@algo-trading/core';
import { BacktestEngine, type BacktestEngineOptions, type StrategyContext } from '../src/index';
import { bars } from './helpers';

/** One bar as [open, high, low, close]. */
export type Row = readonly [number, number, number, number];

/** What the strategy does at a bar: orders to submit, or any action on the context. */
export type Step = OrderRequest | readonly OrderRequest[] | ((ctx: StrategyContext) => void);

/**
 * Runs a strategy that performs `steps[i]` at bar `i` (orders submitted then, first looking at the
 * next open) over `rows`, with no costs unless `options` say otherwise. Returns the engine and the
 * ids of the orders submitted, in submission order.
 */
export async function runSteps(
  rows: readonly Row[],
  steps: Readonly<Record<number, Step>>,
  options: Partial<BacktestEngineOptions> = {},
  volume?: readonly number[],
): Promise<{ engine: BacktestEngine; ids: number[] }> {
  const data = bars(rows);
  if (volume !== undefined) data.volume.set(volume);
  const costs = { ...(options.commission === undefined ? { commissionPct: 0 } : {}), ...(options.slippage === undefined ? { slippageBps: 0 } : {}) };
  const engine = new BacktestEngine({ initialCapital: 100_000, ...costs, ...options } as BacktestEngineOptions);
  const ids: number[] = [];
  await engine.run({
    data,
    strategy: {
      onBar(ctx) {
        const step = steps[ctx.index];
        if (step === undefined) return;
        if (typeof step === 'function') step(ctx);
        else for (const request of Array.isArray(step) ? step : [step as OrderRequest]) ids.push(ctx.submit(request));
      },
    },
  });
  return { engine, ids };
}

/** The fills as [bar, side, quantity, price, reason]. */
export function fillRows(engine: BacktestEngine): (string | number)[][] {
  return engine.getFills().map((f) => [f.barIndex, f.side, f.quantity, f.price, f.reason]);
}

/** The order's state changes as [status, bar, filled, price]. */
export function eventRows(engine: BacktestEngine, id: number): (string | number | null)[][] {
  return engine.getOrders()[id]!.events.map((e) => [e.status, e.barIndex, e.filledQuantity, e.price]);
}
