// The review queue: pending steps oldest first, filtered by brand, level and code, with
// the opened step beside the list. j/k move through it; a/v/r decide the opened step.
import { get } from './api.js';
import { clearMessage, h, showError, when } from './dom.js';
import { renderStep } from './step.js';

const PAGE = 50;
// Kept across visits so that coming back keeps the reviewer's filters and place.
const state = { brand: '', level: '', code: '', offset: 0, items: [], total: 0, selected: -1 };

export async function queueView(main) {
  const form = h('form', { id: 'queue-filters', class: 'filters', 'data-testid': 'queue-filters' },
    h('label', {}, 'Brand ', h('input', { name: 'brand', id: 'filter-brand', value: state.brand, size: 10 })),
    h('label', {}, 'Level ', h('input', { name: 'level', id: 'filter-level', value: state.level, type: 'number', min: 1, size: 4 })),
    h('label', {}, 'Code ', h('input', { name: 'code', id: 'filter-code', value: state.code, size: 12 })),
    h('button', { type: 'submit', id: 'queue-apply' }, 'Filter'),
    h('button', { type: 'button', id: 'queue-reload', 'data-testid': 'queue-reload',
                  onclick: () => { clearMessage(); load(); } }, 'Reload'));
  const count = h('p', { id: 'queue-count', 'data-testid': 'queue-count' });
  const list = h('div', { id: 'queue-list' });
  const pager = h('div', { class: 'pager' });
  const pane = h('div', { id: 'step-pane', class: 'pane', 'data-testid': 'step-pane' },
    h('p', { class: 'muted' }, 'Open a step from the queue (j/k move, a approve, v revision, r reject).'));
  let controller = null;  // the step on screen
  let opening = 0;        // the latest select(): an older one finishing late is dropped

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    Object.assign(state, { brand: f.get('brand').trim(), level: f.get('level').trim(), code: f.get('code').trim(), offset: 0 });
    load();
  });

  async function load() {
    try {
      const answer = await get('/manager/kyc/review-queue', {
        brand: state.brand, level: state.level, code: state.code, offset: state.offset, limit: PAGE });
      state.items = answer.items;
      state.total = answer.total;
    } catch (e) {
      showError(e);
      return;
    }
    count.textContent = `${state.total} pending step${state.total === 1 ? '' : 's'}`;
    count.dataset.total = state.total;
    drawList();
    const open = controller ? state.items.findIndex((i) => i.step_id === controller.step.id) : -1;
    if (open >= 0) select(open);
    else if (state.items.length) select(Math.min(Math.max(state.selected, 0), state.items.length - 1));
    else {
      state.selected = -1;
      controller?.dispose();
      controller = null;
      pane.replaceChildren(h('p', { class: 'muted', 'data-testid': 'queue-empty' }, 'Nothing to review.'));
    }
  }

  function drawList() {
    list.replaceChildren(h('table', { class: 'queue', 'data-testid': 'queue' },
      h('thead', {}, h('tr', {}, ['Step', 'Customer', 'Brand', 'Code', 'Level', 'Revisions', 'Submitted'].map((t) => h('th', {}, t)))),
      h('tbody', {}, state.items.length ? state.items.map((item, i) =>
        h('tr', { class: i === state.selected ? 'selected' : '', 'data-testid': 'queue-item',
                  dataset: { stepId: item.step_id }, onclick: () => select(i) },
          h('td', {}, `#${item.step_id} ${item.name}`), h('td', {}, item.customer_id), h('td', {}, item.brand),
          h('td', {}, item.code), h('td', {}, item.level), h('td', {}, item.revision_count),
          h('td', {}, when(item.submitted_at))))
        : h('tr', {}, h('td', { colSpan: 7, class: 'empty' }, 'No pending step.')))));
    pager.replaceChildren(
      h('button', { type: 'button', disabled: state.offset === 0,
                    onclick: () => { state.offset = Math.max(0, state.offset - PAGE); load(); } }, '‹ Older'),
      ` ${state.total ? state.offset + 1 : 0}–${state.offset + state.items.length} of ${state.total} `,
      h('button', { type: 'button', disabled: state.offset + state.items.length >= state.total,
                    onclick: () => { state.offset += PAGE; load(); } }, 'Newer ›'));
  }

  async function select(i) {
    state.selected = i;
    drawList();
    list.querySelector('tr.selected')?.scrollIntoView({ block: 'nearest' });
    const seq = ++opening;
    const box = h('div');
    let next;
    try {
      next = await renderStep(box, state.items[i].step_id, { onDecided: () => load() });
    } catch (e) {
      if (seq === opening) showError(e);
      return;
    }
    if (seq !== opening) return next.dispose();
    controller?.dispose();
    controller = next;
    pane.replaceChildren(box);
  }

  main.replaceChildren(h('div', { class: 'split' },
    h('section', { class: 'list' }, h('h2', {}, 'Review queue'), form, count, list, pager),
    pane));
  await load();

  return {
    dispose: () => controller?.dispose(),
    onKey(key) {
      if (key === 'j' && state.selected < state.items.length - 1) select(state.selected + 1);
      else if (key === 'k' && state.selected > 0) select(state.selected - 1);
      else if (controller && key === 'a') controller.approve();
      else if (controller && key === 'v') controller.revise();
      else if (controller && key === 'r') controller.reject();
    },
  };
}
