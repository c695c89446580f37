#!/usr/bin/env python3
"""Writes a replay input that exercises every path of the topology, for checking that a speed-up
changes no output byte: volatile prices of mixed decimal scales (threshold, band, daily in two
zones, recentering, depletion), funding rates, a staged redefinition, a rejected redefinition, a
retirement, a fund incepting late, a symbol without funds, and bad, non-positive and late rows.

usage: make-stress-input.py OUT_DIR [TICKS=120000] [SEED=7]

Replay it twice (before and after a change) with --funding OUT_DIR/funding.csv and cmp the outputs.
"""
import json, math, os, random, sys

out = sys.argv[1]
ticks = int(sys.argv[2]) if len(sys.argv) > 2 else 120_000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
os.makedirs(out, exist_ok=True)

symbols = ["A", "B", "C", "D", "NOFUNDS"]
t0 = 1735689600000  # 2025-01-01T00:00:00Z
step = 2000  # ms between ticks; 120k ticks is about 2.8 days


def iso(ms):
    import datetime
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


funds = []
for s in symbols[:4]:
    funds += [
        {"fundId": f"{s}3L", "underlying": s, "direction": "LONG", "targetLeverage": 3,
         "initialNav": "10", "initialShares": "1000000", "dailyRebalanceTime": "00:00",
         "thresholdMove": "0.15", "minLeverage": "1.25", "maxLeverage": "4",
         "managementFeeDaily": "0.0001", "tradingFeeRate": "0.0004"},
        {"fundId": f"{s}3S", "underlying": s, "direction": "SHORT", "targetLeverage": "3",
         "initialNav": "1", "initialShares": "123456.789", "dailyRebalanceTime": "09:30",
         "rebalanceTimeZone": "America/New_York", "minLeverage": "2", "maxLeverage": "4.5",
         "recenteringSpeed": "0.5", "managementFeeDaily": "0.00027", "tradingFeeRate": "0.001"},
        {"fundId": f"{s}5L", "underlying": s, "direction": "LONG", "targetLeverage": "5",
         "initialNav": "100", "initialShares": "1000", "thresholdMove": "0.05",
         "minLeverage": "3.5", "maxLeverage": "7", "tradingFeeRate": "0.0002"},
        {"fundId": f"{s}2S", "underlying": s, "direction": "SHORT", "targetLeverage": "2",
         "initialNav": "7.5", "initialShares": "3"},
        {"fundId": f"{s}10L", "underlying": s, "direction": "LONG", "targetLeverage": "10",
         "initialNav": "1", "initialShares": "1000000", "recenteringSpeed": "0.3",
         "minLeverage": "5", "maxLeverage": "15", "managementFeeDaily": "0.001",
         "tradingFeeRate": "0.0005"},
    ]
# A fund that incepts a day late, a staged change, a rejected change, a retirement.
funds.append({"fundId": "ALATE4L", "underlying": "A", "direction": "LONG", "targetLeverage": "4",
              "initialNav": "10", "initialShares": "10", "effectiveTime": iso(t0 + 86_400_000 + 1234),
              "thresholdMove": "0.1", "tradingFeeRate": "0.0003"})
funds.append({"fundId": "B3L", "underlying": "B", "direction": "LONG", "targetLeverage": "2.5",
              "initialNav": "10", "initialShares": "1000000", "dailyRebalanceTime": "12:00",
              "effectiveTime": iso(t0 + 40_000_000), "thresholdMove": "0.12",
              "minLeverage": "1.5", "maxLeverage": "3.5", "managementFeeDaily": "0.0002",
              "tradingFeeRate": "0.0005"})
funds.append({"fundId": "C3S", "underlying": "C", "direction": "LONG", "targetLeverage": "3",
              "initialNav": "1", "initialShares": "123456.789", "effectiveTime": iso(t0 + 50_000_000)})
funds.append({"fundId": "D5L", "retired": True, "effectiveTime": iso(t0 + 150_000_000)})
with open(os.path.join(out, "funds.json"), "w") as f:
    json.dump(funds, f, indent=1)

price = {s: 100.0 for s in symbols}
sigma = 0.004
with open(os.path.join(out, "prices.csv"), "w") as f:
    f.write("timestamp,symbol,price\n")
    for i in range(ticks):
        s = symbols[i % len(symbols)]
        t = t0 + i * step
        shock = rng.gauss(0, sigma)
        if rng.random() < 0.0005:
            shock += rng.choice([-0.25, 0.2])  # jumps: thresholds, bands, depletion of 10L
        price[s] = max(0.01, price[s] * math.exp(shock))
        digits = rng.choice([0, 2, 4, 6, 8, 12])
        text = f"{price[s]:.{digits}f}" if digits else str(int(round(price[s])) or 1)
        r = rng.random()
        if r < 0.0002:
            f.write(f"{t},{s},not-a-number\n")
        elif r < 0.0004:
            f.write(f"{t},{s},-{text}\n")
        elif r < 0.0006:
            f.write(f"{t - 10 * step},{s},{text}\n")  # late
        else:
            f.write(f"{t},{s},{text}\n")

with open(os.path.join(out, "funding.csv"), "w") as f:
    f.write("timestamp,symbol,rate\n")
    end = t0 + ticks * step
    t = t0 + 3_600_000
    while t < end:
        for s in symbols:
            f.write(f"{t},{s},{rng.uniform(-0.0003, 0.0005):.6f}\n")
        t += 3_600_000
