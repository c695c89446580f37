// The selected fund's NAV: a line of 1-minute candle closes with the candles' high-low range as a
// shaded band, and the live NAV appended as the last point. Drawn with uPlot (canvas).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import * as fmt from './format.js';

const HEIGHT = 380;

function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

const pad = (n) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 24-hour UTC axis labels; midnight shows the date. */
function timeLabel(sec) {
  if (sec == null) return '';
  const d = new Date(sec * 1000);
  const h = d.getUTCHours(), m = d.getUTCMinutes(), s = d.getUTCSeconds();
  if (h === 0 && m === 0 && s === 0) return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  return s === 0 ? `${pad(h)}:${pad(m)}` : `${pad(h)}:${pad(m)}:${pad(s)}`;
}

// Tick spacings in seconds: candles are 1-minute, so never split finer than a minute (uPlot's
// default would put two ticks in one minute, both labelled with it).
const TIME_INCREMENTS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
  2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400];

export class NavChart {
  constructor(el) {
    this.el = el;
    this.plot = null;
    this.key = null;
    this.ro = new ResizeObserver(() => this.resize());
    this.ro.observe(el);
    this.userZoom = false;
    el.addEventListener('dblclick', () => { this.userZoom = false; });
  }

  width() {
    return Math.max(200, Math.floor(this.el.clientWidth));
  }

  resize() {
    if (this.plot) this.plot.setSize({ width: this.width(), height: HEIGHT });
  }

  create() {
    const line = cssVar('--accent', '#2563eb');
    const band = cssVar('--accent-soft', 'rgba(37,99,235,0.14)');
    const axis = cssVar('--muted', '#64748b');
    const grid = cssVar('--grid', 'rgba(100,116,139,0.15)');
    const axisStyle = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts = {
      width: this.width(),
      height: HEIGHT,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      cursor: { drag: { x: true, y: false }, points: { size: 7 } },
      legend: { show: true, live: true },
      scales: { x: { time: true } },
      series: [
        { label: 'Time (UTC)', value: (u, v) => (v == null ? '—' : `${fmt.time(new Date(v * 1000).toISOString())} UTC`) },
        { label: 'NAV (close)', stroke: line, width: 2, value: (u, v) => fmt.nav(v), points: { show: false } },
        { label: 'High', stroke: 'transparent', width: 0, value: (u, v) => fmt.nav(v), points: { show: false } },
        { label: 'Low', stroke: 'transparent', width: 0, value: (u, v) => fmt.nav(v), points: { show: false } },
      ],
      bands: [{ series: [2, 3], fill: band }],
      hooks: { setSelect: [(u) => { if (u.select.width > 0) this.userZoom = true; }] },
      axes: [
        { ...axisStyle, incrs: TIME_INCREMENTS, values: (u, splits) => splits.map(timeLabel) },
        { ...axisStyle, size: 72, values: (u, vals) => vals.map((v) => fmt.nav(v)) },
      ],
    };
    this.plot = new uPlot(opts, [[], [], [], []], this.el);
  }

  /**
   * @param key      identifies the series (fund + range); a new key resets the zoom
   * @param candles  [{start, end, open, high, low, close}]
   * @param live     {time, nav} or null: the current NAV, appended after the last candle
   */
  update(key, candles, live) {
    const xs = [], close = [], hi = [], lo = [];
    for (const c of candles) {
      const t = fmt.date(c.end || c.start);
      const cl = fmt.num(c.close);
      if (!t || Number.isNaN(cl)) continue;
      xs.push(t.getTime() / 1000);
      close.push(cl);
      const h = fmt.num(c.high), l = fmt.num(c.low);
      hi.push(Number.isNaN(h) ? cl : h);
      lo.push(Number.isNaN(l) ? cl : l);
    }
    if (live) {
      const t = fmt.date(live.time);
      const n = fmt.num(live.nav);
      if (t && !Number.isNaN(n) && (xs.length === 0 || t.getTime() / 1000 > xs[xs.length - 1])) {
        xs.push(t.getTime() / 1000);
        close.push(n);
        hi.push(n);
        lo.push(n);
      }
    }
    if (!this.plot) this.create();
    const resetScales = key !== this.key;
    this.key = key;
    if (resetScales) this.userZoom = false;
    // Follow the data unless the user has zoomed in (drag to zoom, double-click to reset).
    this.plot.setData([xs, close, hi, lo], !this.userZoom);
    return xs.length;
  }
}
