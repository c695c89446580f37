// The navstream HTTP API. Errors come back as {"error", "status"}; read endpoints may require the
// operator's bearer token, which the page takes from ?token= once and keeps for the session.

const TIMEOUT_MS = 5000;
const TOKEN_KEY = 'navstream.token';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function initToken() {
  const url = new URL(window.location.href);
  const t = url.searchParams.get('token');
  if (t) {
    sessionStorage.setItem(TOKEN_KEY, t);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.toString());
  }
}

export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export async function get(path, params) {
  const url = new URL(path, window.location.origin);
  if (params) for (const [k, v] of Object.entries(params)) if (v != null) url.searchParams.set(k, v);
  const headers = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  let res;
  try {
    res = await fetch(url, { headers, signal: ctl.signal, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, ctl.signal.aborted ? `${path}: timed out` : `${path}: ${e.message || 'unreachable'}`);
  } finally {
    clearTimeout(timer);
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const msg = (body && (body.error || body.message)) || res.statusText || 'request failed';
    throw new ApiError(res.status, `${path}: ${res.status} ${msg}`);
  }
  return body ?? {};
}
