#!/usr/bin/env python3
"""Writes replay inputs for a speed run: a seeded random walk of N ticks over U underlyings
(round-robin, 100 ms apart) and F funds per underlying (3L/3S/5L/5S pattern, daily 00:00 UTC,
thresholds, bands and fees like the demo's).

usage: make-replay-input.py OUT_DIR [TICKS=1000000] [UNDERLYINGS=3] [FUNDS_PER_UNDERLYING=4] [SEED=42]
"""
import json, math, os, random, sys

out = sys.argv[1]
ticks = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
underlyings = int(sys.argv[3]) if len(sys.argv) > 3 else 3
per = int(sys.argv[4]) if len(sys.argv) > 4 else 4
rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 42)
os.makedirs(out, exist_ok=True)

symbols = [f"U{i:04d}-USDT" for i in range(underlyings)]
shapes = [("3L", "LONG", 3, "0.15", "1.25", "4"), ("3S", "SHORT", 3, "0.15", "1.25", "4"),
          ("5L", "LONG", 5, "0.09", "2.5", "7"), ("5S", "SHORT", 5, "0.09", "2.5", "7")]
funds = []
for s in symbols:
    for k in range(per):
        suffix, direction, lev, thr, lo, hi = shapes[k % len(shapes)]
        funds.append({"fundId": f"{s.split('-')[0]}{suffix}{'' if k < 4 else k}", "underlying": s,
                      "direction": direction, "targetLeverage": lev, "initialNav": "10",
                      "initialShares": "1000000", "dailyRebalanceTime": "00:00", "thresholdMove": thr,
                      "minLeverage": lo, "maxLeverage": hi, "managementFeeDaily": "0.0001",
                      "tradingFeeRate": "0.0004"})
with open(os.path.join(out, "funds.json"), "w") as f:
    json.dump(funds, f, indent=1)

price = {s: 100.0 for s in symbols}
t0 = 1735689600000  # 2025-01-01T00:00:00Z
sigma = 0.8 / math.sqrt(365 * 24 * 3600 * 10 / underlyings)  # 80%/yr at this tick spacing
with open(os.path.join(out, "prices.csv"), "w") as f:
    f.write("timestamp,symbol,price\n")
    for i in range(ticks):
        s = symbols[i % underlyings]
        price[s] *= math.exp(rng.gauss(0, sigma))
        f.write(f"{t0 + i * 100},{s},{price[s]:.4f}\n")
