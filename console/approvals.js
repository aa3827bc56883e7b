// Four-eyes approval requests as a queue: what was asked, by whom and why, approved
// (the command then runs as its initiator's) or rejected with a reason.
import { get, post } from './api.js';
import { ask, h, show, showError, showNotice, table, when } from './dom.js';

let status = 'pending';

export async function approvalsView(main) {
  const select = h('select', { id: 'approval-status', 'data-testid': 'approval-status',
                               onchange: () => { status = select.value; load(); } },
    ['pending', 'approved', 'rejected', 'expired', ''].map((s) => h('option', { value: s, selected: s === status }, s || 'all')));
  const list = h('div', { id: 'approval-list' });

  async function load() {
    try {
      const answer = await get('/manager/approvals', { status, limit: 100 });
      list.replaceChildren(h('p', { 'data-testid': 'approval-count' }, `${answer.total} request${answer.total === 1 ? '' : 's'}`),
        table('approvals', [
          ['#', (r) => r.id],
          ['Asked', (r) => `${when(r.created_at)} by ${r.initiator.login}`],
          ['Command', (r) => h('code', {}, r.command)],
          ['Summary', (r) => r.summary],
          ['Customer', (r) => (r.customer_id ? h('a', { href: `#/customers/${encodeURIComponent(r.brand)}/${r.customer_id}` },
            `${r.customer_id} (${r.brand})`) : '—')],
          ['Reason', (r) => show(r.reason)],
          ['Status', (r) => (r.decided_by ? `${r.status} by ${r.decided_by.login}${r.decision_comment ? `: ${r.decision_comment}` : ''}` : r.status)],
          ['', (r) => (r.status === 'pending' ? h('span', { class: 'actions' },
            h('button', { class: 'primary', 'data-testid': 'approval-approve', onclick: () => approve(r) }, 'Approve'),
            h('button', { class: 'danger', 'data-testid': 'approval-reject', onclick: () => reject(r) }, 'Reject')) : '')],
        ], answer.items, (r) => ({ 'data-testid': 'approval', dataset: { requestId: r.id } })));
    } catch (e) {
      showError(e);
    }
  }

  async function approve(r) {
    const comment = await ask({ title: `Approve request #${r.id}: ${r.summary}`, label: 'Comment', confirm: 'Approve' });
    if (comment === null) return;
    await decide(r.id, 'approve', comment ? { comment } : {}, 'approved: its command ran');
  }

  async function reject(r) {
    const reason = await ask({ title: `Reject request #${r.id}: ${r.summary}`, label: 'Reason', required: true, confirm: 'Reject' });
    if (reason === null) return;
    await decide(r.id, 'reject', { reason }, 'rejected');
  }

  async function decide(id, action, body, done) {
    try {
      await post(`/manager/approvals/${id}/${action}`, body);
      showNotice(`Request #${id} ${done}.`);
      await load();
    } catch (e) {
      showError(e);
    }
  }

  main.replaceChildren(h('section', {}, h('h2', {}, 'Approval requests (four eyes)'), h('p', {}, 'Status ', select), list));
  await load();
  return {};
}
