// One KYC step as a reviewer sees it: the answers beside the documents (images inline,
// PDFs embedded), the history of submissions and decisions, and the three decisions.
import { fileBlob, get, post } from './api.js';
import { ask, h, show, showError, showNotice, UrlScope, when } from './dom.js';

// Loads step `stepId` and renders it into `container`. Resolves a controller whose
// approve(), revise() and reject() ask for the comment/reason and send the decision (the
// keyboard uses them too) and whose dispose() releases the documents' object URLs;
// `onDecided(step)` runs after a decision is committed.
export async function renderStep(container, stepId, { onDecided = () => {} } = {}) {
  const urls = new UrlScope();
  const step = await get(`/manager/kyc/steps/${stepId}`);
  const profile = await get(`/manager/kyc/profiles/${step.profile_id}`).catch(() => null);

  const pending = step.status_name === 'pending';
  const decide = async (route, body, done) => {
    try {
      const answer = await post(`/manager/kyc/steps/${step.id}/${route}`, body);
      showNotice(`Step ${step.id} ${done}.`);
      await onDecided(answer);
    } catch (e) {
      showError(e);
    }
  };
  const controller = {
    step,
    dispose: () => urls.release(),
    async approve() {
      if (!(pending || step.status_name === 'required')) return;
      const comment = await ask({ title: `Approve step ${step.id}`, label: 'Comment', confirm: 'Approve' });
      if (comment === null) return;
      await decide('approve', comment ? { comment } : {}, 'approved');
    },
    async revise() {
      if (!pending) return;
      const comment = await ask({ title: `Request a revision of step ${step.id}`, label: 'Comment',
                                  required: true, confirm: 'Request revision' });
      if (comment === null) return;
      await decide('revision', { comment }, 'sent back for revision');
    },
    async reject() {
      if (!pending) return;
      const reason = await ask({ title: `Reject step ${step.id} (final)`, label: 'Reason',
                                 required: true, confirm: 'Reject' });
      if (reason === null) return;
      await decide('reject', { reason }, 'rejected');
    },
  };

  const customer = profile
    ? h('a', { href: `#/customers/${encodeURIComponent(profile.brand)}/${profile.customer_id}`,
               'data-testid': 'step-customer' }, `customer ${profile.customer_id} (${profile.brand})`)
    : `profile ${step.profile_id}`;

  container.replaceChildren(h('article', { class: 'step', 'data-testid': 'step', dataset: { stepId: step.id } },
    h('header', {},
      h('h2', {}, `${step.name} `, h('small', {}, `#${step.id} · ${step.code} · level ${step.level}`)),
      h('p', {},
        h('span', { class: `badge ${step.status_name}`, 'data-testid': 'step-status' }, step.status_name),
        ' ', customer,
        ` · submitted ${when(step.submitted_at)} · revisions ${step.revision_count}`),
      step.comment ? h('p', { class: 'note' }, 'Comment: ', h('span', { 'data-testid': 'step-comment' }, step.comment)) : null,
      step.reject_reason ? h('p', { class: 'note' }, 'Rejected: ', step.reject_reason) : null),
    h('div', { class: 'actions' },
      h('button', { id: 'approve', 'data-testid': 'approve', class: 'primary', disabled: !(pending || step.status_name === 'required'),
                    onclick: () => controller.approve(), title: 'a' }, 'Approve'),
      h('button', { id: 'revision', 'data-testid': 'revision', disabled: !pending,
                    onclick: () => controller.revise(), title: 'v' }, 'Request revision'),
      h('button', { id: 'reject', 'data-testid': 'reject', class: 'danger', disabled: !pending,
                    onclick: () => controller.reject(), title: 'r' }, 'Reject')),
    h('div', { class: 'side-by-side' },
      h('section', {}, h('h3', {}, 'Answers'), answersTable(step.answers, 'answers', step.documents)),
      h('section', {}, h('h3', {}, `Documents (${step.documents.length})`),
        h('div', { 'data-testid': 'documents' }, step.documents.map((d) => documentView(d, urls))))),
    h('section', {}, h('h3', {}, 'History'), historyList(step.history))));
  return controller;
}

// The answers by field name; a value that is the file_id of one of `documents` (a
// file_reference answer) also names that document.
function answersTable(answers, testid = 'answers', documents = []) {
  if (!answers || !Object.keys(answers).length) return h('p', { class: 'muted', 'data-testid': testid }, 'No answers submitted.');
  return h('table', { 'data-testid': testid, class: 'answers' },
    h('tbody', {}, Object.entries(answers).map(([name, value]) =>
      h('tr', { dataset: { answer: name } }, h('th', {}, name), h('td', {}, show(value),
        documents.filter((d) => d.file_id === value).map((d) => h('div', { class: 'muted' }, `→ ${d.doc_type}: ${d.file_name}`)))))));
}

// A document with its metadata and its bytes: an <img> for images, an <iframe> for PDFs
// (object URLs made in `urls`, a UrlScope).
export function documentView(doc, urls) {
  const viewer = h('div', { class: 'viewer' }, h('span', { class: 'muted' }, 'loading…'));
  const box = h('figure', { class: 'document', 'data-testid': 'document', dataset: { documentId: doc.id } },
    viewer,
    h('figcaption', {},
      h('strong', {}, doc.doc_type), ` · ${doc.file_name} · ${doc.content_type} · ${doc.file_size} bytes · `,
      h('span', { class: `badge ${doc.status_name}` }, doc.status_name),
      doc.doc_number ? ` · no. ${doc.doc_number}` : '',
      doc.expires_at ? ` · expires ${when(doc.expires_at)}` : ''));
  fileBlob(doc.file_id).then((blob) => {
    const url = urls.make(blob);
    const type = blob.type || doc.content_type;
    if (type.startsWith('image/')) {
      viewer.replaceChildren(h('img', { src: url, alt: doc.file_name, 'data-testid': 'doc-image' }));
    } else if (type === 'application/pdf') {
      viewer.replaceChildren(h('iframe', { src: url, title: doc.file_name, 'data-testid': 'doc-pdf' }));
    } else {
      viewer.replaceChildren(h('a', { href: url, download: doc.file_name, 'data-testid': 'doc-download' }, 'download'));
    }
  }).catch((e) => {
    viewer.replaceChildren(h('span', { class: 'problem', 'data-testid': 'doc-error' }, e.message));
  });
  return box;
}

// What a reviewer wrote with a decision: the audit reason, else the step's comment or
// rejection reason as that decision left it.
function decisionText(e) {
  if (e.action === 'step.submit' || e.action === 'step.require') return e.reason;
  return e.reason || e.step?.reject_reason || e.step?.comment || null;
}

function historyList(history) {
  return h('ol', { class: 'history', 'data-testid': 'history' }, history.map((e) =>
    h('li', { dataset: { action: e.action } },
      h('span', { class: 'when' }, when(e.at)), ' ',
      h('strong', {}, e.action), ` by ${e.actor_type} ${e.actor_id ?? ''}`,
      decisionText(e) ? [' — ', h('q', {}, decisionText(e))] : null,
      e.action === 'step.submit' && e.step && e.step.answers
        ? h('details', {}, h('summary', {}, 'answers of this submission'), answersTable(e.step.answers, 'history-answers'))
        : null)));
}
