// The public REST API, as any client uses it. The token lives in this tab's sessionStorage only: never in a URL,
// a cookie or localStorage, so closing the tab forgets it.
const BASE = '/api/v1alpha1';
const TOKEN_KEY = 'tracker-token';

/** An answer the page shows as a message: 401 (no or a wrong token), 403 (not allowed), anything else failed. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value.trim()),
  forget: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** How far the server's clock is ahead of this browser's, in ms, from the last answer's Date header. */
export let serverClockAhead = 0;

async function call(method, path) {
  const headers = {Accept: 'application/json'};
  const bearer = token.get();
  if (bearer) {
    headers.Authorization = `Bearer ${bearer}`;
  }
  let response;
  try {
    response = await fetch(BASE + path, {method, headers, cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached.');
  }
  const date = Date.parse(response.headers.get('Date') || '');
  if (!Number.isNaN(date)) {
    serverClockAhead = date - Date.now();
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const reason = body && body.error ? body.error : `HTTP ${response.status}`;
    throw new ApiError(response.status, reason);
  }
  return body;
}

export const api = {
  whoami: () => call('GET', '/whoami'),
  held: () => call('GET', '/locks/list?per_page=1000'),
  activity: () => call('GET', '/locks/history?per_page=50'),
  history: (id) => call('GET', `/lock/${encodeURIComponent(id)}/history`),
  release: (id) => call('DELETE', `/lock/${encodeURIComponent(id)}`),
};
