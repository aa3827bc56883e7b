// Customers: the search of the client record, and one customer's record, KYC profile,
// documents, transactions and audit trail, with block and unblock (a reason each).
import { get, post } from './api.js';
import { ask, fields, h, show, showError, showNotice, table, UrlScope, when } from './dom.js';
import { documentView } from './step.js';

let lastQuery = '';

export async function customersView(main) {
  const input = h('input', { id: 'customer-search', 'data-testid': 'customer-search', type: 'search',
                             value: lastQuery, size: 40, placeholder: 'name, document number, e-mail or customer id' });
  const results = h('div', { id: 'customer-results' });
  const form = h('form', { class: 'filters' }, input, h('button', { type: 'submit', id: 'customer-search-go' }, 'Search'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    lastQuery = input.value.trim();
    search();
  });

  async function search() {
    try {
      const answer = await get('/manager/customers', { query: lastQuery, limit: 50 });
      results.replaceChildren(
        h('p', { 'data-testid': 'customer-count' }, `${answer.total} customer${answer.total === 1 ? '' : 's'}`),
        table('customers', [
          ['Customer', (c) => h('a', { href: `#/customers/${encodeURIComponent(c.brand)}/${c.customer_id}`,
                                       'data-testid': 'customer-link' }, c.customer_id)],
          ['Brand', (c) => c.brand],
          ['Name', (c) => [c.first_name, c.last_name].filter(Boolean).join(' ') || '—'],
          ['E-mail', (c) => show(c.email)],
          ['KYC', (c) => `${c.kyc_status_name} (level ${c.kyc_level})`],
          ['Account', (c) => c.account_status],
          ['Blocked', (c) => (c.is_blocked ? 'yes' : '')],
        ], answer.items));
    } catch (e) {
      showError(e);
    }
  }

  main.replaceChildren(h('section', {}, h('h2', {}, 'Customers'), form, results));
  input.focus();
  await search();
  return {};
}

export async function customerView(main, brand, customerId) {
  const urls = new UrlScope();
  const base = `/manager/customers/${encodeURIComponent(brand)}/${customerId}`;
  const c = await get(base);
  const section = (title, testid, body) => h('section', { 'data-testid': testid }, h('h3', {}, title), body);
  const pending = (title) => section(title, '', h('p', { class: 'muted' }, 'loading…'));

  const blockButton = c.is_blocked
    ? h('button', { id: 'unblock', 'data-testid': 'unblock', onclick: () => blockChange('unblock') }, 'Unblock…')
    : h('button', { id: 'block', 'data-testid': 'block', class: 'danger', onclick: () => blockChange('block') }, 'Block…');

  async function blockChange(action) {
    const reason = await ask({ title: `${action === 'block' ? 'Block' : 'Unblock'} customer ${customerId} (${brand})`,
                               label: 'Reason', required: true, confirm: action === 'block' ? 'Block' : 'Unblock' });
    if (reason === null) return;
    try {
      const answer = await post(`${base}/${action}`, { reason });
      if (answer.pending_approval) {
        showNotice(`Sent for a second person's approval (request #${answer.request.id}).`);
      } else {
        showNotice(`Customer ${customerId} ${action}ed.`);
        await customerView(main, brand, customerId);
      }
    } catch (e) {
      showError(e);
    }
  }

  const profileBox = pending('KYC profile');
  const txBox = pending('Transactions');
  const auditBox = pending('Audit');
  main.replaceChildren(h('article', { 'data-testid': 'customer' },
    h('h2', {}, [c.first_name, c.last_name].filter(Boolean).join(' ') || `Customer ${customerId}`, ' ',
      h('small', {}, `${customerId} · ${brand}`)),
    h('p', {},
      c.is_blocked ? h('span', { class: 'badge rejected', 'data-testid': 'blocked' }, `blocked: ${c.block_reason}`) : null,
      ' ', h('span', { class: 'badge' }, `account ${c.account_status}`),
      ' ', h('span', { class: `badge ${c.kyc_status_name}` }, `KYC ${c.kyc_status_name}, level ${c.kyc_level}`),
      ' ', blockButton),
    h('div', { class: 'side-by-side' },
      section('Record', 'customer-record', fields('customer-fields', c, [
        'uuid', 'type', 'first_name', 'last_name', 'birth_date', 'birth_country', 'birth_city', 'nationality',
        'gender', 'email', 'phone', 'address', 'documents', 'tax_residence_country', 'tin', 'source_of_funds',
        'profession_category', 'annual_income_bracket', 'is_pep', 'pep_details', 'risk_score_ai', 'kyc_answers',
        'account_status_reason', 'kyc_risk_level_name', 'max_loan', 'created_at', 'updated_at'])),
      profileBox),
    txBox, auditBox));

  // The rest loads side by side; each section shows its own error.
  const fill = (box, title, testid, promise) => promise
    .then((body) => box.replaceWith(section(title, testid, body)))
    .catch((e) => box.replaceWith(section(title, testid, h('p', { class: 'problem' }, e.message))));

  fill(profileBox, 'KYC profile', 'customer-profile', get('/manager/kyc/profiles', { customer_id: customerId, brand })
    .then(async (list) => {
      if (!list.items.length) return h('p', { class: 'muted' }, 'No KYC profile.');
      const p = await get(`/manager/kyc/profiles/${list.items[0].id}`);
      return h('div', {},
        h('p', {}, 'Status ', h('span', { class: `badge ${p.status_name}`, 'data-testid': 'profile-status' }, p.status_name),
          ` · level ${p.level} of ${p.required_level} required · risk ${p.risk_level_name}`),
        table('profile-steps', [
          ['Step', (s) => h('a', { href: `#/steps/${s.id}` }, `#${s.id} ${s.name}`)],
          ['Code', (s) => s.code], ['Level', (s) => s.level],
          ['Status', (s) => h('span', { class: `badge ${s.status_name}` }, s.status_name)],
          ['Submitted', (s) => when(s.submitted_at)],
        ], p.steps),
        h('h4', {}, `Documents (${p.documents.length})`),
        h('div', { class: 'documents' }, p.documents.map((d) => documentView(d, urls))));
    }));
  fill(txBox, 'Transactions', 'customer-transactions', get(`${base}/transactions`, { limit: 100 }).then((tx) => table('transactions', [
    ['At', (t) => when(t.at)], ['Type', (t) => t.type], ['Amount', (t) => `${t.amount} ${t.currency}`],
    ['EUR', (t) => show(t.eur_amount)], ['External id', (t) => show(t.external_id)],
  ], tx.items)));
  fill(auditBox, 'Audit', 'customer-audit', get('/manager/kyc/audit', { customer_id: customerId, limit: 200 }).then((a) => table('audit', [
    ['#', (r) => r.id], ['At', (r) => when(r.at)], ['Action', (r) => r.action], ['Brand', (r) => show(r.brand)],
    ['By', (r) => `${r.actor_type} ${show(r.actor_id)}${r.approved_by ? `, approved by ${r.approved_by}` : ''}`],
    ['Reason', (r) => show(r.reason)],
  ], a.items)));

  return { dispose: () => urls.release() };
}
