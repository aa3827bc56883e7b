// AML alerts as a queue: open and assigned alerts first, each with its explanation and
// evidence, assigned to oneself or resolved with a resolution and a reason.
import { get, post, session } from './api.js';
import { ask, h, showError, showNotice, table } from './dom.js';

const RESOLUTIONS = ['false_positive', 'accepted_risk', 'escalated', 'reported'];
let status = 'open';

export async function amlView(main) {
  const select = h('select', { id: 'aml-status', 'data-testid': 'aml-status',
                               onchange: () => { status = select.value; load(); } },
    ['open', 'assigned', 'closed', ''].map((s) => h('option', { value: s, selected: s === status }, s || 'all')));
  const list = h('div', { id: 'aml-list' });
  const detail = h('div', { id: 'aml-detail', class: 'pane' });

  async function load() {
    try {
      const answer = await get('/manager/aml/alerts', { status, limit: 100 });
      list.replaceChildren(h('p', { 'data-testid': 'aml-count' }, `${answer.total} alert${answer.total === 1 ? '' : 's'}`),
        table('aml-alerts', [
          ['Alert', (a) => h('a', { href: '#/aml', onclick: (ev) => { ev.preventDefault(); open(a.id); } }, `#${a.id}`)],
          ['Customer', (a) => h('a', { href: `#/customers/${encodeURIComponent(a.brand)}/${a.customer_id}` }, `${a.customer_id} (${a.brand})`)],
          ['Flag', (a) => a.flag], ['Status', (a) => a.status], ['Period', (a) => `${a.period_from} – ${a.period_to}`],
          ['Explanation', (a) => a.explanation],
        ], answer.items, (a) => ({ 'data-testid': 'aml-alert', dataset: { alertId: a.id } })));
    } catch (e) {
      showError(e);
    }
  }

  async function open(id) {
    let a;
    try {
      a = await get(`/manager/aml/alerts/${id}`);
    } catch (e) {
      showError(e);
      return;
    }
    const closed = a.status === 'closed';
    detail.replaceChildren(h('article', { 'data-testid': 'aml-alert-detail' },
      h('h3', {}, `Alert #${a.id} · flag ${a.flag} (${a.group}) · ${a.status}`),
      h('p', { class: 'explanation', 'data-testid': 'aml-explanation' }, a.explanation),
      h('p', {}, `Customer ${a.customer_id} (${a.brand}) · ${a.period_from} – ${a.period_to} · ${a.hits} hit(s)`,
        a.assigned_to ? ` · assigned to manager ${a.assigned_to}` : '',
        a.resolution ? ` · ${a.resolution}: ${a.resolution_reason}` : ''),
      h('div', { class: 'actions' },
        h('button', { id: 'aml-assign', 'data-testid': 'aml-assign', disabled: closed,
                      onclick: () => act(a.id, 'assign', { manager_id: session.me?.manager_id }) }, 'Assign to me'),
        h('button', { id: 'aml-resolve', 'data-testid': 'aml-resolve', class: 'primary', disabled: closed,
                      onclick: () => resolve(a.id) }, 'Resolve…')),
      h('details', {}, h('summary', {}, `Evidence (${a.evidence.length})`),
        h('pre', { 'data-testid': 'aml-evidence' }, JSON.stringify(a.evidence, null, 2)))));
  }

  async function resolve(id) {
    const choice = h('select', { id: 'aml-resolution', 'data-testid': 'aml-resolution' },
      RESOLUTIONS.map((r) => h('option', { value: r }, r)));
    const reason = await ask({ title: `Resolve alert #${id}`, label: 'Reason', required: true, confirm: 'Resolve',
                               extra: h('label', {}, 'Resolution ', choice) });
    if (reason === null) return;
    await act(id, 'resolve', { resolution: choice.value, reason });
  }

  async function act(id, action, body) {
    try {
      await post(`/manager/aml/alerts/${id}/${action}`, body);
      showNotice(`Alert #${id} ${action === 'assign' ? 'assigned' : 'resolved'}.`);
      await load();
      await open(id);
    } catch (e) {
      showError(e);
    }
  }

  main.replaceChildren(h('div', { class: 'split' },
    h('section', { class: 'list' }, h('h2', {}, 'AML alerts'), h('p', {}, 'Status ', select), list),
    detail));
  await load();
  return {};
}
