// The dashboard: held locks (live), a lock's history, recent activity, and force-release for those who may.
// It talks to the public REST API only (api.js), polling every two seconds; the countdowns tick every second.
import {api, ApiError, serverClockAhead, token} from './api.js';
import {ago, clockTime, leaseLeft, localTime} from './format.js';

const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);

const state = {
  identified: false,
  loaded: false, // whether state.locks is the server's current answer (not: no token, refused, unreachable)
  locks: [],
  mayForceRelease: false,
  detailId: null,
  pending: null, // the lock the confirmation dialog is about
};

const now = () => Date.now() + serverClockAhead;

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  return node;
}

function key(lock) {
  return [lock.service, lock.environment, lock.resource].filter(Boolean).join(' / ');
}

// ---- messages ----

function show(text, kind = 'error') {
  const box = $('message');
  box.textContent = text;
  box.className = `message ${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.hidden = false;
}

function clearMessage() {
  $('message').hidden = true;
}

function explain(error) {
  if (!(error instanceof ApiError)) {
    return String(error);
  }
  switch (error.status) {
    case 401:
      return error.message.startsWith('a bearer token is required')
          ? 'This server needs a token: enter one to see the locks.'
          : `Not signed in: ${error.message}. Enter another token.`;
    case 403:
      return `Not allowed: ${error.message}.`;
    case 0:
      return error.message;
    default:
      return `The server answered ${error.status}: ${error.message}.`;
  }
}

function failed(error) {
  show(explain(error));
  // What is on the page is no longer known to be true: never show it as if it were.
  forgetLocks();
  if (error instanceof ApiError && error.status === 401) {
    state.identified = false;
    $('identity').textContent = '';
    askForToken();
  }
}

function forgetLocks() {
  state.loaded = false;
  state.locks = [];
  renderHeld();
  $('activity').replaceChildren();
  $('activity').dataset.signature = '';
  $('activity-empty').hidden = true;
  closeDetail();
}

// ---- who is looking ----

function askForToken() {
  $('token-form').hidden = false;
  $('token').focus();
}

async function identify() {
  const me = await api.whoami();
  const scopes = me.scopes || [];
  state.mayForceRelease = scopes.includes('admin');
  $('identity').textContent = me.authentication
      ? `Token ${me.name} (${scopes.join(', ')}; services ${(me.services || []).join(', ')})`
      : 'Authentication is off: anyone may release any lock.';
  $('forget-token').hidden = !token.get();
  $('token-form').hidden = true;
  state.identified = true;
}

// ---- held locks ----

function lockRow(lock) {
  const row = el('tr', null, {'data-lock-id': lock.id});
  row.append(
      el('td', lock.service, {'data-label': 'Service', class: 'service'}),
      el('td', lock.environment || '', {'data-label': 'Environment'}),
      el('td', lock.resource || '', {'data-label': 'Resource'}),
      el('td', lock.who, {'data-label': 'Who', class: 'who'}),
      el('td', lock.owner || '', {'data-label': 'Owner'}));
  const since = el('td', null, {'data-label': 'Since'});
  since.append(el('time', ago(lock.createdAt, now()),
      {datetime: lock.createdAt, title: localTime(lock.createdAt), class: 'since'}));
  const lease = el('td', null, {'data-label': 'Lease'});
  lease.append(lock.expiresAt
      ? el('time', leaseLeft(lock.expiresAt, now()),
          {datetime: lock.expiresAt, title: `ends ${localTime(lock.expiresAt)}`, class: 'lease'})
      : el('span', 'no lease', {class: 'lease'}));
  row.append(since, lease,
      el('td', lock.token, {'data-label': 'Token', class: 'token'}),
      el('td', lock.waiters ?? 0, {'data-label': 'Waiters', class: 'waiters'}));
  const actions = el('td', null, {class: 'actions'});
  const history = el('button', 'History', {type: 'button', class: 'history',
    'aria-label': `History of the lock on ${key(lock)} held by ${lock.who}`});
  history.addEventListener('click', () => openDetail(lock));
  actions.append(history);
  if (state.mayForceRelease) {
    const release = el('button', 'Force-release', {type: 'button', class: 'force-release danger',
      'aria-label': `Force-release the lock on ${key(lock)} held by ${lock.who}`});
    release.addEventListener('click', () => confirmRelease(lock));
    actions.append(release);
  }
  row.append(actions);
  return row;
}

function renderHeld() {
  const filter = $('filter').value.trim().toLowerCase();
  const shown = state.locks
      .filter((lock) => !filter || lock.service.toLowerCase().includes(filter))
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.token - b.token);
  const body = $('held').tBodies[0];
  // Keep the focused button's row where it is: rebuild only when what is shown changed.
  const signature = JSON.stringify([state.mayForceRelease, shown]);
  if (body.dataset.signature !== signature) {
    const focusedId = document.activeElement?.closest?.('tr')?.dataset?.lockId;
    const focusedClass = document.activeElement?.className;
    body.replaceChildren(...shown.map(lockRow));
    body.dataset.signature = signature;
    if (focusedId) {
      body.querySelector(`tr[data-lock-id="${CSS.escape(focusedId)}"] button.${focusedClass?.split(' ')[0]}`)
          ?.focus();
    }
  }
  if (!state.loaded) {
    $('held-count').textContent = '';
    $('held-empty').hidden = true;
    $('updated').textContent = '';
    return;
  }
  $('held-count').textContent = filter ? `(${shown.length} of ${state.locks.length})` : `(${state.locks.length})`;
  $('held-empty').hidden = shown.length > 0;
  $('held-empty').textContent = state.locks.length ? 'No held lock matches the filter.' : 'No locks are held.';
}

/** Every second: the relative times and the leases' countdowns, without asking the server. */
function tick() {
  const at = now();
  for (const time of document.querySelectorAll('time.since, time.ago')) {
    time.textContent = ago(time.getAttribute('datetime'), at);
  }
  for (const time of document.querySelectorAll('time.lease')) {
    time.textContent = leaseLeft(time.getAttribute('datetime'), at);
  }
}

// ---- history ----

function eventItem(event, withKey) {
  // In the recent activity each event opens its lock's life, also after the lock ended.
  const item = el('li', null, {class: `event ${event.action}`});
  item.append(el('time', ago(event.at, now()), {datetime: event.at, title: localTime(event.at), class: 'ago'}));
  const what = el('span', null, {class: 'what'});
  what.append(el('strong', event.action, {class: 'action'}));
  let text = ` ${event.who}`;
  if (withKey) {
    text += ` on ${key(event)}`;
  }
  text += ` (token ${event.token}`;
  if (event.owner) {
    text += `, owner ${event.owner}`;
  }
  text += ')';
  if (event.by) {
    text += ` by ${event.by}`;
  }
  what.append(document.createTextNode(text));
  item.append(what);
  if (withKey) {
    const open = el('button', 'History', {type: 'button', class: 'history',
      'aria-label': `History of the lock on ${key(event)} held by ${event.who} (token ${event.token})`});
    open.addEventListener('click', () => openDetail({...event, id: event.lockId}));
    item.append(open);
  }
  return item;
}

async function renderDetail() {
  if (!state.detailId) {
    return;
  }
  const {events} = await api.history(state.detailId);
  const signature = JSON.stringify(events);
  const timeline = $('timeline');
  if (timeline.dataset.signature !== signature) {
    timeline.replaceChildren(...events.map((event) => eventItem(event, false)));
    timeline.dataset.signature = signature;
  }
}

async function openDetail(lock) {
  state.detailId = lock.id;
  $('detail-title').textContent = `History of the lock on ${key(lock)} (token ${lock.token})`;
  $('timeline').replaceChildren();
  $('timeline').dataset.signature = '';
  $('detail').hidden = false;
  $('detail').focus();
  try {
    await renderDetail();
  } catch (error) {
    failed(error);
  }
}

function closeDetail() {
  state.detailId = null;
  $('detail').hidden = true;
}

async function renderActivity() {
  const {events} = await api.activity();
  const list = $('activity');
  const signature = JSON.stringify(events);
  if (list.dataset.signature !== signature) {
    list.replaceChildren(...events.map((event) => eventItem(event, true)));
    list.dataset.signature = signature;
  }
  $('activity-empty').hidden = events.length > 0;
}

// ---- force-release ----

function confirmRelease(lock) {
  state.pending = lock;
  $('confirm-text').textContent = `The lock on ${key(lock)} (fencing token ${lock.token}) is held by ${lock.who}`
      + (lock.owner ? `, taken with the token named ${lock.owner},` : '')
      + ` since ${localTime(lock.createdAt)}. Force-releasing it lets the next caller take it while ${lock.who}`
      + ' may still be running.';
  $('confirm-release').textContent = `Force-release ${lock.who}'s lock`;
  $('confirm').returnValue = ''; // Escape keeps the last value: never let it stand for "release"
  $('confirm').showModal();
}

async function confirmed() {
  const lock = state.pending;
  state.pending = null;
  if (!lock || $('confirm').returnValue !== 'release') {
    return;
  }
  try {
    await api.release(lock.id);
    show(`Released the lock on ${key(lock)} that ${lock.who} held.`, 'info');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      show(`That lock on ${key(lock)} was released already; nothing was changed.`, 'info');
    } else {
      failed(error);
    }
  }
  await refresh();
}

// ---- the loop ----

let refreshing = false;

async function refresh() {
  if (refreshing) {
    return;
  }
  refreshing = true;
  try {
    const page = await api.held();
    state.locks = page.locks;
    state.loaded = true;
    renderHeld();
    await Promise.all([renderActivity(), renderDetail()]);
    $('updated').textContent = `Updated ${clockTime(new Date())}`;
    if ($('message').classList.contains('error')) {
      clearMessage();
    }
  } catch (error) {
    failed(error);
  } finally {
    refreshing = false;
  }
}

async function start() {
  try {
    await identify();
  } catch (error) {
    failed(error);
    return;
  }
  await refresh();
}

$('token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  token.set($('token').value);
  $('token').value = '';
  clearMessage();
  await start();
});
$('forget-token').addEventListener('click', () => {
  token.forget();
  state.identified = false;
  state.mayForceRelease = false;
  forgetLocks();
  $('identity').textContent = '';
  $('forget-token').hidden = true;
  askForToken();
});
$('filter').addEventListener('input', renderHeld);
$('close-detail').addEventListener('click', closeDetail);
$('confirm').addEventListener('close', confirmed);

setInterval(tick, 1000);
setInterval(() => {
  if (!$('token-form').hidden) {
    return; // waiting for a token
  }
  if (state.identified) {
    refresh();
  } else {
    start();
  }
}, POLL_MS);
start();
