// Display formatting. The API sends decimals as strings (scale 18) and times as ISO-8601 strings
// or null; everything here is display-only and tolerant of missing or malformed values.

const DASH = '—';
const cache = new Map();

function nf(min, max, extra = {}) {
  const key = `${min}/${max}/${JSON.stringify(extra)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max, ...extra });
    cache.set(key, f);
  }
  return f;
}

export function num(v) {
  if (v === null || v === undefined || v === '') return NaN;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : NaN;
}

export function has(v) {
  return Number.isFinite(num(v));
}

/** A price: 2 decimals above 1,000, 4 above 1, else 6 significant digits. */
export function price(v) {
  const n = num(v);
  if (Number.isNaN(n)) return DASH;
  const a = Math.abs(n);
  if (a >= 1000) return nf(2, 2).format(n);
  if (a >= 1) return nf(4, 4).format(n);
  return nf(0, 0, { maximumSignificantDigits: 6 }).format(n);
}

/** A NAV per share: 4 decimals, 6 below 1. */
export function nav(v) {
  const n = num(v);
  if (Number.isNaN(n)) return DASH;
  return Math.abs(n) >= 1 ? nf(4, 4).format(n) : nf(6, 6).format(n);
}

export function lev(v) {
  const n = num(v);
  return Number.isNaN(n) ? DASH : `${nf(2, 3).format(n)}×`;
}

export function pct(n, digits = 2) {
  if (!Number.isFinite(n)) return DASH;
  const s = nf(digits, digits).format(Math.abs(n));
  return `${n > 0 ? '+' : n < 0 ? '−' : ''}${s}%`;
}

export function qty(v) {
  const n = num(v);
  if (Number.isNaN(n)) return DASH;
  const s = nf(0, 6).format(Math.abs(n));
  return `${n > 0 ? '+' : n < 0 ? '−' : ''}${s}`;
}

export function money(v) {
  const n = num(v);
  return Number.isNaN(n) ? DASH : nf(2, 2).format(n);
}

export function plain(v, max = 6) {
  const n = num(v);
  return Number.isNaN(n) ? DASH : nf(0, max).format(n);
}

export function date(v) {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

const pad = (n) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time in UTC: HH:mm:ss today, else "Mon d HH:mm". */
export function time(v, now = new Date()) {
  const d = date(v);
  if (!d) return DASH;
  const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const sameDay = d.getUTCFullYear() === now.getUTCFullYear() && d.getUTCMonth() === now.getUTCMonth()
    && d.getUTCDate() === now.getUTCDate();
  return sameDay ? hms : `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${hms.slice(0, 5)}`;
}

export function isoUtc(v) {
  const d = date(v);
  return d ? d.toISOString().replace('.000Z', 'Z') : '';
}

/** "in 3h 12m" / "12m ago" relative to now. */
export function relative(v, now = Date.now()) {
  const d = date(v);
  if (!d) return '';
  const ms = d.getTime() - now;
  const a = Math.abs(ms);
  let s;
  if (a < 60_000) s = `${Math.round(a / 1000)}s`;
  else if (a < 3_600_000) s = `${Math.floor(a / 60_000)}m`;
  else if (a < 86_400_000) s = `${Math.floor(a / 3_600_000)}h ${Math.floor((a % 3_600_000) / 60_000)}m`;
  else s = `${Math.floor(a / 86_400_000)}d ${Math.floor((a % 86_400_000) / 3_600_000)}h`;
  return ms >= 0 ? `in ${s}` : `${s} ago`;
}

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** "bandLowerExitPrice" → "Band lower exit price". */
const LABELS = {
  nav: 'NAV', positionQuantity: 'Position', eventTime: 'Last tick', thresholdMove: 'Threshold move',
  standby: 'From a standby', lagOffsets: 'Standby lag (records)',
};

export function label(key) {
  if (LABELS[key]) return LABELS[key];
  const words = String(key).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
