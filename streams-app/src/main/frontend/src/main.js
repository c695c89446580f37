// navstream dashboard: polls the API, renders every fund's row, and the selected fund's NAV chart,
// triggers and recent rebalances.
import './style.css';
import { get, initToken, setToken, ApiError } from './api.js';
import { NavChart } from './chart.js';
import * as fmt from './format.js';

const POLL_MS = 1500;
/** Above this many funds, per-fund details (the trigger prices) are fetched for the selected fund only. */
const MAX_DETAIL_FETCHES = 40;
const REBALANCE_LIMIT = 20;

const $ = (id) => document.getElementById(id);

const state = {
  funds: [],
  details: new Map(), // fundId -> GET /funds/{id}
  premiums: new Map(), // fundId -> GET /funds/{id}/premium, for funds whose token has a market price
  selected: null,
  rangeMin: 180,
  lastNav: new Map(), // fundId -> nav string, to flash changes
  selectionToken: 0,
};

// ---------- funds table ----------

/**
 * GET /funds/{id} gives each trigger as {bound, price, distancePct}: the threshold, and the prices
 * at which leverage reaches its min and its max bound. The page shows the band exits by price, the
 * lower one first (for a long the max bound is reached on a fall, for a short on a rise).
 */
function normalizeTriggers(tr) {
  if (!tr || typeof tr !== 'object' || !('threshold' in tr || 'leverageMin' in tr || 'leverageMax' in tr)) return tr;
  const exits = [tr.leverageMin, tr.leverageMax]
    .filter((t) => t && fmt.has(t.price))
    .sort((a, b) => fmt.num(a.price) - fmt.num(b.price));
  const lower = exits.length > 1 ? exits[0] : exits.find((t) => fmt.num(t.distancePct) < 0);
  const upper = exits.length > 1 ? exits[1] : exits.find((t) => fmt.num(t.distancePct) >= 0);
  return {
    thresholdPrice: tr.threshold && tr.threshold.price,
    thresholdDistancePct: tr.threshold && tr.threshold.distancePct,
    bandLowerExitPrice: lower && lower.price,
    bandLowerDistancePct: lower && lower.distancePct,
    bandUpperExitPrice: upper && upper.price,
    bandUpperDistancePct: upper && upper.distancePct,
  };
}

function triggersOf(f) {
  const d = state.details.get(f.fundId);
  return normalizeTriggers((d && d.triggers) || f.triggers || null);
}

function merged(f) {
  const d = state.details.get(f.fundId);
  return d ? { ...d, ...f, triggers: triggersOf(f) } : f;
}

function statusCell(f) {
  const status = String(f.status || 'UNKNOWN').toUpperCase();
  const cls = { ACTIVE: 'ok', RETIRING: 'warn', RETIRED: 'off', DEPLETED: 'bad', PENDING: 'off' }[status] || 'off';
  let html = `<span class="badge badge-${cls}">${fmt.esc(status)}</span>`;
  if (f.rebalancesPaused === true) html += ' <span class="badge badge-warn" title="Rebalances paused by an operator">PAUSED</span>';
  if (f.overdue === true) html += ' <span class="badge badge-bad" data-testid="overdue" title="The scheduled daily rebalance is past due: no tick has arrived">OVERDUE</span>';
  return html;
}

/** Leverage against its band [min, max] and target, as a small bar with markers. */
function leverageCell(f) {
  const l = fmt.num(f.leverage), t = fmt.num(f.targetLeverage);
  const lo = fmt.num(f.minLeverage), hi = fmt.num(f.maxLeverage);
  const known = [l, t, lo, hi].filter((x) => !Number.isNaN(x));
  if (!known.length) return '<span class="muted">—</span>';
  const bandKnown = !Number.isNaN(lo) && !Number.isNaN(hi);
  let min = Math.min(...known), max = Math.max(...known);
  const span = Math.max(max - min, Math.abs(t || l || 1) * 0.2, 0.1);
  min = Math.max(0, min - span * 0.25);
  max += span * 0.25;
  const pos = (x) => `${(((x - min) / (max - min)) * 100).toFixed(2)}%`;
  const outside = bandKnown && !Number.isNaN(l) && (l < lo || l > hi);
  const title = [
    `leverage ${fmt.lev(f.leverage)}`,
    `target ${fmt.lev(f.targetLeverage)}`,
    bandKnown ? `band ${fmt.lev(f.minLeverage)} – ${fmt.lev(f.maxLeverage)}` : 'no band',
  ].join(' · ');
  let bar = `<div class="levbar" title="${fmt.esc(title)}">`;
  if (bandKnown) bar += `<span class="band" style="left:${pos(lo)};width:calc(${pos(hi)} - ${pos(lo)})"></span>`;
  if (!Number.isNaN(t)) bar += `<span class="target" style="left:${pos(t)}"></span>`;
  if (!Number.isNaN(l)) bar += `<span class="cur ${outside ? 'out' : ''}" style="left:${pos(l)}"></span>`;
  bar += '</div>';
  const band = bandKnown ? `${fmt.plain(f.minLeverage, 2)}–${fmt.plain(f.maxLeverage, 2)}` : 'no band';
  return `<div class="lev"><span class="lev-val ${outside ? 'txt-bad' : ''}">${fmt.lev(f.leverage)}</span>${bar}`
    + `<span class="lev-band muted">${band} · tgt ${fmt.plain(f.targetLeverage, 2)}</span></div>`;
}

function distance(target, f, givenPct) {
  const p = fmt.num(f.price), x = fmt.num(target);
  if (!Number.isNaN(p) && p !== 0 && !Number.isNaN(x)) return ((x / p) - 1) * 100;
  const g = fmt.num(givenPct);
  return Number.isNaN(g) ? NaN : g;
}

/** The prices at which the next ad hoc rebalance fires, with the % move needed from the current price. */
function triggerItems(f) {
  const tr = triggersOf(f);
  if (!tr) return [];
  const items = [];
  if (fmt.has(tr.thresholdPrice)) {
    items.push({ kind: 'Threshold', price: tr.thresholdPrice, pct: distance(tr.thresholdPrice, f, tr.thresholdDistancePct) });
  }
  if (fmt.has(tr.bandLowerExitPrice)) {
    items.push({ kind: 'Band ↓', price: tr.bandLowerExitPrice, pct: distance(tr.bandLowerExitPrice, f, tr.bandLowerDistancePct) });
  }
  if (fmt.has(tr.bandUpperExitPrice)) {
    items.push({ kind: 'Band ↑', price: tr.bandUpperExitPrice, pct: distance(tr.bandUpperExitPrice, f, tr.bandUpperDistancePct) });
  }
  return items;
}

function triggerCell(f) {
  const items = triggerItems(f);
  if (!items.length) {
    const tr = triggersOf(f);
    return tr ? '<span class="muted">none</span>' : '<span class="muted">…</span>';
  }
  let nearest = -1, best = Infinity;
  items.forEach((it, i) => { if (Number.isFinite(it.pct) && Math.abs(it.pct) < best) { best = Math.abs(it.pct); nearest = i; } });
  return `<ul class="triggers">${items.map((it, i) => {
    const near = i === nearest;
    const hot = near && best < 1;
    return `<li class="${near ? 'near' : ''} ${hot ? 'hot' : ''}"><span class="tk">${it.kind}</span>`
      + `<span class="tp">${fmt.price(it.price)}</span><span class="td">${fmt.pct(it.pct)}</span></li>`;
  }).join('')}</ul>`;
}

/** The token's market price against NAV: premium (+) or discount (−), flagged past its threshold. */
function premiumCell(f) {
  const p = state.premiums.get(f.fundId);
  if (!p || p.premium == null) return '<span class="muted">—</span>';
  const n = fmt.num(p.premium);
  const text = Number.isNaN(n) ? fmt.esc(p.premium) : fmt.pct(n * 100);
  const title = `market ${p.marketPrice} vs NAV ${p.nav} at ${fmt.isoUtc(p.eventTime)}`
    + (p.threshold != null ? `; alert beyond ${fmt.plain(fmt.num(p.threshold) * 100, 4)}%` : '');
  return `<span class="${p.alert ? 'badge badge-bad' : ''}" title="${fmt.esc(title)}">${text}</span>`;
}

function rowHtml(f) {
  const lastT = f.lastRebalanceTime;
  const next = f.nextScheduledRebalance;
  return `
    <td class="fund"><span class="fund-id">${fmt.esc(f.fundId)}</span><span class="underlying">${fmt.esc(f.underlying || '')}</span><span class="fund-status">${statusCell(f)}</span></td>
    <td class="status">${statusCell(f)}</td>
    <td class="num price">${fmt.price(f.price)}</td>
    <td class="num nav" data-testid="nav" data-value="${fmt.esc(f.nav ?? '')}">${fmt.nav(f.nav)}</td>
    <td class="num premium" data-testid="premium">${premiumCell(f)}</td>
    <td class="lev-col">${leverageCell(f)}</td>
    <td class="when"><span>${fmt.price(f.lastRebalancePrice)}</span>
      <span class="muted" title="${fmt.esc(fmt.isoUtc(lastT))}">${fmt.time(lastT)}${lastT ? ` · ${fmt.relative(lastT)}` : ''}</span></td>
    <td class="when ${f.overdue ? 'txt-bad' : ''}"><span title="${fmt.esc(fmt.isoUtc(next))}">${fmt.time(next)}</span>
      <span class="${f.overdue ? '' : 'muted'}">${f.overdue ? 'overdue' : fmt.relative(next)}</span></td>
    <td class="trig">${triggerCell(f)}</td>`;
}

function renderFunds() {
  const tbody = $('fund-rows');
  const funds = state.funds;
  $('fund-count').textContent = funds.length ? `(${funds.length})` : '';
  if (!funds.length) {
    tbody.innerHTML = '<tr class="placeholder"><td colspan="9">No funds yet.</td></tr>';
    return;
  }
  const existing = new Map([...tbody.querySelectorAll('tr[data-fund]')].map((tr) => [tr.dataset.fund, tr]));
  tbody.querySelectorAll('tr.placeholder').forEach((tr) => tr.remove());
  let prev = null;
  for (const f of funds) {
    let tr = existing.get(f.fundId);
    existing.delete(f.fundId);
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.fund = f.fundId;
      tr.tabIndex = 0;
    }
    tr.innerHTML = rowHtml(f);
    tr.classList.toggle('selected', f.fundId === state.selected);
    tr.setAttribute('aria-selected', String(f.fundId === state.selected));
    const before = state.lastNav.get(f.fundId);
    if (before !== undefined && f.nav != null && before !== f.nav) {
      const cell = tr.querySelector('td.nav');
      cell.classList.add(fmt.num(f.nav) > fmt.num(before) ? 'flash-up' : 'flash-down');
    }
    if (f.nav != null) state.lastNav.set(f.fundId, f.nav);
    const anchor = prev ? prev.nextSibling : tbody.firstChild;
    if (tr !== anchor) tbody.insertBefore(tr, anchor);
    prev = tr;
  }
  for (const tr of existing.values()) tr.remove();
}

// ---------- selected fund: detail, chart, rebalances ----------

const DETAIL_KEYS = [
  'direction', 'targetLeverage', 'minLeverage', 'maxLeverage', 'thresholdMove', 'recenteringSpeed',
  'dailyRebalanceTime', 'rebalanceTimeZone', 'managementFeeDaily', 'tradingFeeRate',
  'shares', 'positionQuantity', 'cash', 'equity', 'nav', 'leverage', 'eventTime',
];
const SERVED_KEYS = ['instance', 'standby', 'lagOffsets'];

function formatValue(key, v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return fmt.esc(JSON.stringify(v));
  const k = key.toLowerCase();
  if (/time$|^eventtime|scheduled/.test(k) && fmt.date(v) && typeof v === 'string' && v.includes('T')) {
    return `${fmt.time(v)} <span class="muted">${fmt.relative(v)}</span>`;
  }
  if (k.endsWith('pct')) return fmt.pct(fmt.num(v));
  if (k.includes('leverage')) return fmt.lev(v);
  if (k.endsWith('price')) return fmt.price(v);
  if (k === 'nav') return fmt.nav(v);
  if (k === 'cash' || k === 'equity') return fmt.money(v);
  if (k === 'thresholdmove' || k.endsWith('rate') || k.endsWith('daily')) {
    const n = fmt.num(v);
    return Number.isNaN(n) ? fmt.esc(v) : `${fmt.plain(n * 100, 4)}%`;
  }
  if (fmt.has(v) && typeof v === 'string') return fmt.plain(v, 8);
  return fmt.esc(v);
}

function renderDetail() {
  const dl = $('detail');
  const f0 = state.funds.find((x) => x.fundId === state.selected);
  $('detail-fund').textContent = f0 ? `· ${f0.fundId}` : '';
  if (!f0) { dl.innerHTML = ''; return; }
  const f = merged(f0);
  let flat = { ...f };
  for (const k of ['definition', 'book', 'live']) {
    if (f[k] && typeof f[k] === 'object') flat = { ...f[k], ...flat };
  }
  // servedBy: {instance, standby, lagOffsets}, where the answer came from.
  if (f.servedBy && typeof f.servedBy === 'object') flat = { ...flat, ...f.servedBy };
  const rows = [];
  const items = triggerItems(f);
  if (items.length) {
    rows.push('<div class="kv-group">Next trigger</div>');
    for (const it of items) rows.push(`<dt>${it.kind}</dt><dd>${fmt.price(it.price)} <span class="muted">${fmt.pct(it.pct)}</span></dd>`);
  }
  const tr = f.triggers;
  if (tr && typeof tr === 'object') {
    const shown = new Set(['thresholdPrice', 'thresholdDistancePct', 'bandLowerExitPrice', 'bandUpperExitPrice', 'bandLowerDistancePct', 'bandUpperDistancePct']);
    for (const [k, v] of Object.entries(tr)) {
      if (!shown.has(k)) rows.push(`<dt>${fmt.esc(fmt.label(k))}</dt><dd>${formatValue(k, v)}</dd>`);
    }
  }
  const defs = DETAIL_KEYS.filter((k) => flat[k] !== undefined);
  if (defs.length) {
    rows.push('<div class="kv-group">Definition &amp; book</div>');
    for (const k of defs) rows.push(`<dt>${fmt.esc(fmt.label(k))}</dt><dd>${formatValue(k, flat[k])}</dd>`);
  }
  const served = SERVED_KEYS.filter((k) => flat[k] !== undefined);
  if (served.length) {
    rows.push('<div class="kv-group">Served by</div>');
    for (const k of served) rows.push(`<dt>${fmt.esc(fmt.label(k))}</dt><dd>${formatValue(k, flat[k])}</dd>`);
  }
  dl.innerHTML = rows.join('') || '<div class="muted">Loading…</div>';
}

function renderRebalances(fundId, list) {
  $('rebalances-fund').textContent = fundId ? `· ${fundId}` : '';
  const tbody = $('rebalance-rows');
  if (!list.length) {
    tbody.innerHTML = '<tr class="placeholder"><td colspan="9">No rebalances yet.</td></tr>';
    return;
  }
  tbody.innerHTML = list.map((r) => {
    const reason = String(r.reason || '').toUpperCase();
    const side = String(r.side || '').toUpperCase();
    return `<tr data-instruction="${fmt.esc(r.instructionId)}">
      <td title="${fmt.esc(fmt.isoUtc(r.eventTime))}">${fmt.time(r.eventTime)}</td>
      <td><span class="badge reason reason-${fmt.esc(reason.toLowerCase())}">${fmt.esc(reason || '—')}</span></td>
      <td><span class="side side-${fmt.esc(side.toLowerCase())}">${fmt.esc(side || '—')}</span></td>
      <td class="num">${fmt.price(r.price)}</td>
      <td class="num">${fmt.qty(r.deltaQuantity)}</td>
      <td class="num">${fmt.money(r.notional)}</td>
      <td class="num">${fmt.lev(r.leverageBefore)} → ${fmt.lev(r.leverageAfter)}</td>
      <td class="num">${fmt.money(r.tradingFee)}</td>
      <td class="muted mono">${fmt.esc(r.instructionId || '')}</td>
    </tr>`;
  }).join('');
}

let chart = null;

async function refreshSelected() {
  const fundId = state.selected;
  if (!fundId) return;
  const token = ++state.selectionToken;
  const f = state.funds.find((x) => x.fundId === fundId);
  const anchor = fmt.date(f && f.eventTime) || new Date();
  // The window ends at the fund's latest event time, not the wall clock, so replayed or simulated
  // data with other clocks still charts.
  const to = new Date(Math.max(anchor.getTime(), Date.now()) + 60_000);
  const from = new Date(anchor.getTime() - state.rangeMin * 60_000);
  const enc = encodeURIComponent(fundId);
  const [navRes, rebRes] = await Promise.allSettled([
    get(`/funds/${enc}/nav`, { from: from.toISOString(), to: to.toISOString(), interval: '1m' }),
    get(`/funds/${enc}/rebalances`, { limit: REBALANCE_LIMIT }),
  ]);
  if (token !== state.selectionToken) return; // the selection changed meanwhile
  $('chart-fund').textContent = `· ${fundId}${f && f.underlying ? ` (${f.underlying})` : ''}`;
  if (navRes.status === 'fulfilled') {
    const candles = Array.isArray(navRes.value.candles) ? navRes.value.candles : [];
    const n = chart.update(`${fundId}/${state.rangeMin}`, candles, f ? { time: f.eventTime, nav: f.nav } : null);
    $('chart-empty').hidden = n > 0;
  }
  if (rebRes.status === 'fulfilled') {
    renderRebalances(fundId, Array.isArray(rebRes.value.rebalances) ? rebRes.value.rebalances : []);
  }
  const failed = [navRes, rebRes].find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

// ---------- polling ----------

function showBanner(msg, withToken) {
  const b = $('banner');
  if (!msg) { b.hidden = true; b.innerHTML = ''; return; }
  b.hidden = false;
  b.innerHTML = `<span>${fmt.esc(msg)}</span>`;
  if (withToken) {
    b.innerHTML += `<form id="token-form" class="token-form"><input id="token-input" type="password" placeholder="Bearer token" autocomplete="off" aria-label="Bearer token"><button type="submit">Use token</button></form>`;
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      setToken($('token-input').value.trim());
      showBanner(null);
      pollNow();
    });
  }
}

function setConn(ok, text) {
  const c = $('conn');
  c.className = `conn ${ok ? 'conn-ok' : 'conn-bad'}`;
  c.textContent = text;
}

function latestEventTime() {
  let best = null;
  for (const f of state.funds) {
    const d = fmt.date(f.eventTime);
    if (d && (!best || d > best)) best = d;
  }
  return best;
}

async function fetchDetails() {
  const ids = state.funds.length <= MAX_DETAIL_FETCHES ? state.funds.map((f) => f.fundId) : [state.selected];
  const results = await Promise.allSettled(ids.filter(Boolean).map((id) => get(`/funds/${encodeURIComponent(id)}`)));
  results.forEach((r, i) => { if (r.status === 'fulfilled') state.details.set(ids[i], r.value); });
  // 204 (an empty answer) until the fund's token has a market price: the column then shows a dash.
  const premiums = await Promise.allSettled(ids.filter(Boolean).map((id) => get(`/funds/${encodeURIComponent(id)}/premium`)));
  premiums.forEach((r, i) => {
    if (r.status === 'fulfilled') state.premiums.set(ids[i], r.value);
    else state.premiums.delete(ids[i]);
  });
}

let timer = null;
let inFlight = false;

async function poll() {
  if (inFlight) return;
  inFlight = true;
  clearTimeout(timer);
  try {
    const body = await get('/funds');
    state.funds = (Array.isArray(body.funds) ? body.funds : [])
      .filter((f) => f && f.fundId)
      .sort((a, b) => (a.fundId < b.fundId ? -1 : a.fundId > b.fundId ? 1 : 0));
    const ids = new Set(state.funds.map((f) => f.fundId));
    for (const id of [...state.details.keys()]) if (!ids.has(id)) state.details.delete(id);
    if (!state.selected || !ids.has(state.selected)) {
      const fromHash = decodeURIComponent((location.hash.match(/fund=([^&]+)/) || [])[1] || '');
      state.selected = ids.has(fromHash) ? fromHash : (state.funds[0] && state.funds[0].fundId) || null;
    }
    await fetchDetails();
    renderFunds();
    renderDetail();
    await refreshSelected();
    const t = latestEventTime();
    const lu = $('last-update');
    lu.textContent = t ? fmt.time(t) : fmt.time(new Date());
    lu.dateTime = (t || new Date()).toISOString();
    setConn(true, 'live');
    showBanner(null);
  } catch (e) {
    const auth = e instanceof ApiError && (e.status === 401 || e.status === 403);
    setConn(false, auth ? 'unauthorized' : e instanceof ApiError && e.status === 503 ? 'rebalancing' : 'offline');
    showBanner(auth ? 'The API needs a bearer token.' : `Cannot refresh: ${e.message}. Retrying…`, auth);
  } finally {
    inFlight = false;
    timer = setTimeout(poll, POLL_MS);
  }
}

function pollNow() {
  clearTimeout(timer);
  poll();
}

function select(fundId) {
  if (!fundId || fundId === state.selected) return;
  state.selected = fundId;
  history.replaceState(null, '', `#fund=${encodeURIComponent(fundId)}`);
  renderFunds();
  renderDetail();
  refreshSelected().catch(() => {});
}

function init() {
  initToken();
  $('tz').textContent = 'UTC';
  $('poll-interval').textContent = String(POLL_MS / 1000);
  chart = new NavChart($('chart'));
  const rows = $('fund-rows');
  rows.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-fund]');
    if (tr) select(tr.dataset.fund);
  });
  rows.addEventListener('keydown', (e) => {
    const tr = e.target.closest('tr[data-fund]');
    if (!tr) return;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(tr.dataset.fund); }
    if (e.key === 'ArrowDown' && tr.nextElementSibling) tr.nextElementSibling.focus();
    if (e.key === 'ArrowUp' && tr.previousElementSibling) tr.previousElementSibling.focus();
  });
  rows.addEventListener('animationend', (e) => e.target.classList.remove('flash-up', 'flash-down'));
  document.querySelectorAll('.range button').forEach((b) => b.addEventListener('click', () => {
    document.querySelectorAll('.range button').forEach((x) => x.classList.toggle('active', x === b));
    state.rangeMin = Number(b.dataset.range);
    refreshSelected().catch(() => {});
  }));
  document.addEventListener('visibilitychange', () => { if (!document.hidden) pollNow(); });
  poll();
}

init();
