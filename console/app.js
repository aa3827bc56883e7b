// The console's shell: login and logout, the hash routes, the message bar and the
// keyboard. Each route's view lives in its own module.
import { ApiError, login, logout, session } from './api.js';
import { amlView } from './aml.js';
import { approvalsView } from './approvals.js';
import { customersView, customerView } from './customers.js';
import { clearMessage, h, showError } from './dom.js';
import { queueView } from './queue.js';
import { renderStep } from './step.js';

const $ = (id) => document.getElementById(id);
let view = null;  // the current view: {onKey?, dispose?}

// Route patterns → views. Each resolves {onKey?, dispose?}.
const routes = [
  [/^#\/queue$/, (main) => queueView(main)],
  [/^#\/steps\/(\d+)$/, async (main, id) => stepKeys(await renderStep(main, id, { onDecided: () => show() }))],
  [/^#\/customers$/, (main) => customersView(main)],
  [/^#\/customers\/([^/]+)\/(\d+)$/, (main, brand, id) => customerView(main, decodeURIComponent(brand), id)],
  [/^#\/aml$/, (main) => amlView(main)],
  [/^#\/approvals$/, (main) => approvalsView(main)],
];

// A step opened on its own answers a/v/r like the queue's.
function stepKeys(step) {
  const actions = { a: step.approve, v: step.revise, r: step.reject };
  return { dispose: step.dispose, onKey: (key) => actions[key]?.() };
}

async function show() {
  if (!session.token) return showLogin();
  $('login').hidden = true;
  $('app').hidden = false;
  $('whoami').textContent = `${session.me?.login ?? ''} (${session.me?.session_type ?? ''})`;
  const hash = location.hash || '#/queue';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('current', hash.startsWith(a.getAttribute('href')));
  view?.dispose?.();
  view = null;
  const main = $('main');
  for (const [pattern, render] of routes) {
    const m = pattern.exec(hash);
    if (!m) continue;
    try {
      view = await render(main, ...m.slice(1));
    } catch (e) {
      main.replaceChildren();
      if (session.token) showError(e);
    }
    return;
  }
  location.hash = '#/queue';
}

function showLogin(message = '') {
  view?.dispose?.();
  view = null;
  $('app').hidden = true;
  $('login').hidden = false;
  $('main').replaceChildren();
  clearMessage();
  $('login-error').textContent = message;
  $('login-error').hidden = !message;
  $('login-name').focus();
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const button = $('login-submit');
  button.disabled = true;
  try {
    await login($('login-name').value.trim(), $('login-password').value);
    $('login-password').value = '';
    $('login-error').hidden = true;
    await show();
  } catch (e) {
    showLogin(e instanceof ApiError ? e.message : String(e));
  } finally {
    button.disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  try {
    await logout();
  } catch { /* the session is gone either way */ }
  showLogin();
});

// Any 401 (an expired or revoked session): back to the login with the server's words.
window.addEventListener('kyc:unauthorized', (ev) => showLogin(ev.detail.message));
window.addEventListener('hashchange', () => { clearMessage(); show(); });

// j/k/a/r/v for the current view, never while typing or while a dialog is open.
document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat) return;
  const t = ev.target;
  if (t instanceof HTMLElement && (t.isContentEditable || t.closest('input, textarea, select, dialog'))) return;
  if (document.querySelector('dialog[open]')) return;
  if (!['j', 'k', 'a', 'r', 'v'].includes(ev.key) || !view?.onKey) return;
  ev.preventDefault();
  view.onKey(ev.key);
});

show();
