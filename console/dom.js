// Small DOM helpers shared by the views: element building, formatting, the reason
// dialog, and the message bar that shows the server's errors word for word.

// h('button', {id: 'x', onclick: f}, 'text', child, …). Attributes starting with "on"
// become listeners, `dataset` sets data-*, false/null/undefined children are skipped.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'class') el.className = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Unix seconds as local "YYYY-MM-DD HH:MM".
export function when(seconds) {
  if (!seconds) return '—';
  const d = new Date(seconds * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// A value for a cell: objects as compact JSON, null as a dash.
export function show(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// A table of rows; columns are [header, row => cell content].
export function table(testid, columns, rows, rowAttrs = () => ({})) {
  return h('table', { 'data-testid': testid },
    h('thead', {}, h('tr', {}, columns.map(([title]) => h('th', {}, title)))),
    h('tbody', {}, rows.length
      ? rows.map((r) => h('tr', rowAttrs(r), columns.map(([, cell]) => h('td', {}, cell(r)))))
      : h('tr', {}, h('td', { colSpan: columns.length, class: 'empty' }, 'nothing here'))));
}

// A definition list of an object's fields (times, the fields ending _at, as dates).
export function fields(testid, obj, names = Object.keys(obj)) {
  return h('dl', { class: 'fields', 'data-testid': testid },
    names.map((n) => [h('dt', {}, n), h('dd', { dataset: { field: n } }, n.endsWith('_at') ? when(obj[n]) : show(obj[n]))]));
}

// The message bar: an error shows the server's message exactly as sent, its code beside.
const bar = () => document.getElementById('message');
export function showError(e) {
  if (e.status === 401) return;  // the login screen shows it (api.js)
  const el = bar();
  el.replaceChildren(
    h('span', { id: 'error-message', 'data-testid': 'error-message' }, e.message),
    e.code ? h('code', { 'data-testid': 'error-code' }, e.code) : null,
    h('button', { type: 'button', class: 'link', onclick: clearMessage }, 'dismiss'));
  el.className = 'message error';
  el.hidden = false;
}
export function showNotice(text) {
  const el = bar();
  el.replaceChildren(h('span', { 'data-testid': 'notice' }, text));
  el.className = 'message notice';
  el.hidden = false;
}
export function clearMessage() {
  bar().hidden = true;
  bar().replaceChildren();
}

// Asks for a comment or reason in a modal; resolves the trimmed text, or null when
// cancelled. With `required`, a blank answer is refused here, before any request.
// `extra` (optional) is an element placed above the text box (a select, say).
export function ask({ title, label, required = false, confirm = 'OK', extra = null }) {
  return new Promise((resolve) => {
    const text = h('textarea', { id: 'ask-text', 'data-testid': 'ask-text', rows: 3 });
    const problem = h('p', { class: 'problem', id: 'ask-problem', 'data-testid': 'ask-problem', hidden: true });
    const dialog = h('dialog', { id: 'ask', 'data-testid': 'ask' },
      h('form', { method: 'dialog' },
        h('h3', {}, title),
        extra,
        h('label', {}, label + (required ? ' (required)' : ' (optional)'), text),
        problem,
        h('menu', {},
          h('button', { type: 'button', id: 'ask-cancel', 'data-testid': 'ask-cancel',
                        onclick: () => finish(null) }, 'Cancel'),
          h('button', { type: 'submit', id: 'ask-ok', 'data-testid': 'ask-ok', class: 'primary' }, confirm))));
    function finish(value) {
      dialog.close();
      dialog.remove();
      resolve(value);
    }
    dialog.querySelector('form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const value = text.value.trim();
      if (required && !value) {
        problem.textContent = `${label} is required.`;
        problem.hidden = false;
        text.focus();
        return;
      }
      finish(value);
    });
    dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); finish(null); });
    document.body.append(dialog);
    dialog.showModal();
    text.focus();
  });
}

// Object URLs for the documents on screen, released together when their view goes away.
export class UrlScope {
  constructor() { this.urls = []; }
  make(blob) {
    const url = URL.createObjectURL(blob);
    this.urls.push(url);
    return url;
  }
  release() {
    for (const u of this.urls) URL.revokeObjectURL(u);
    this.urls = [];
  }
}
