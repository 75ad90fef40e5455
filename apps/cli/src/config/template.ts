/**
 * The commented `config.yaml` that `algo-trading config init` writes. Every value is the default,
 * so the file parses to exactly `defaultConfig()` (a test checks this).
 */
export const CONFIG_TEMPLATE = `# algo-trading configuration (config.yaml)
# Every key is optional: a missing key takes the default shown here. Unknown keys are errors.
# Fractions are written as decimals: 0.03 means 3%.
# Check a file with:  algo-trading config check config.yaml

risk_management:
  position_sizing:
    # confidence_based: risk grows from risk_per_trade (at the confidence threshold) to
    #   2 x risk_per_trade (at confidence 1).
    # fixed_fractional: risk risk_per_trade of equity between entry and stop on every trade.
    # percent_of_equity: buy max_position_size of equity (no stop needed to size).
    method: confidence_based
    risk_per_trade: 0.01        # fraction of equity lost if the stop is hit
    max_position_size: 0.25     # largest position value as a fraction of equity

  stop_loss:
    enabled: true               # false: no hard, trailing, take-profit or time stop
    hard_stop_pct: 0.03         # exit 3% below the entry (above it for shorts)
    trailing_stop_pct: 0.02     # trails 2% below the highest price, armed once 2% in profit
    take_profit_pct: 0.05       # exit 5% above the entry
    time_stop_days: 30          # exit after 30 calendar days

  portfolio:
    max_drawdown_pct: 0.15      # no new trades from this drawdown on (= drawdown_zones.alert)
    daily_loss_limit_pct: 0.03  # no new trades for the day once it lost 3% of its starting equity
    max_portfolio_heat: 0.03    # sum of open risk to the stops, as a fraction of equity
    max_open_positions: null    # e.g. 5: at most 5 positions open at once (null: no limit)
    max_gross_exposure: null    # e.g. 1.0: sum of |market value| at most 100% of equity (null: no cap)

  # Drawdown from the equity peak: NORMAL below normal (full risk), CAUTION up to caution
  # (risk halved), ALERT up to alert (risk quartered), EMERGENCY from alert on (no new trades);
  # at emergency the kill switch closes every position.
  drawdown_zones:
    normal: 0.05
    caution: 0.10
    alert: 0.15
    emergency: 0.20

strategy:
  type: MLPredictionStrategy    # or SMACrossover
  confidence_threshold: 0.55    # trade only when the model is at least this confident (0.5 to 1)

backtesting:
  initial_capital: 10000
  transaction_cost: 0.0015      # commission: 0.15% of the traded value, on entry and on exit
  slippage_bps: 5               # fills 0.05% worse than the reference price
  lot_size: 1                   # trade whole units; 0.01 or 1e-8 for fractional units
  # Execution models (optional; docs/trading-rules.md, "Fill prices and costs"):
  # commission:                 # replaces transaction_cost in the backtest
  #   model: per_share          # percent | per_share | fixed | tiered | maker_taker
  #   rate: 0.005
  #   minimum: 1
  #   maximum_pct: 0.01
  # slippage:                   # replaces slippage_bps in the backtest
  #   model: volume_share       # fixed_bps | spread | volume_share | sqrt_impact
  #   price_impact: 0.1
  #   volume_limit: 0.025
  # volume_participation: 0.025 # at most 2.5% of a bar's volume fills per bar
  # financing:                  # yearly rates, accrued daily
  #   cash_rate: 0.02
  #   borrow_rate: 0.01
  # max_leverage: 1             # gross exposure / equity; 1 = cash never negative
  # passed_levels: exit         # a bracket level passed at the fill: exit at once, or reject

logging:
  level: INFO                   # DEBUG, INFO, WARNING or ERROR
  file: ./logs/trading.log      # JSON lines; null for no log file
  console: true                 # readable log lines on stderr

store:                          # the optional DuckDB store (algo-trading data / runs, --data store:...)
  path: ./algo-trading.duckdb   # its database file; --db overrides it
  record_runs: true             # record backtest, walk-forward, demo and sweep runs when the file exists
  lock_timeout_ms: 10000        # wait this long for a store another process is writing
`;
