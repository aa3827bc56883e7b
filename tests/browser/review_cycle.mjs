#!/usr/bin/env node
// The web review console in a real browser: Debian's chromium driven headless by
// playwright-core against a fresh kyc-server, through one whole review cycle.
//
//   node tests/browser/review_cycle.mjs <path-to-kyc-server> [screenshot.png]
//
// The client submits a step through the API; the reviewer, in the console served by
// kyc-server at /console/, opens it from the queue, sees the answers and the document,
// asks for a revision; the client resubmits; the reviewer approves (with the keyboard).
// The profile's status is then read over TCP. Also checked: a server error is shown as the
// server worded it (a wrong password, an unknown token sends back to the login), and a
// revision without a comment is refused before any request. Exit code 0 on success.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { makePng, rest, startServer, TcpClient } from './kyc_server.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BRAND = 'acme';
const CUSTOMER = 4242;
const PNG_WIDTH = 160;
const PNG_HEIGHT = 96;
const TIMEOUT = 10000;

const [binary, screenshot] = process.argv.slice(2);
if (!binary) {
  console.error('usage: node tests/browser/review_cycle.mjs <path-to-kyc-server> [screenshot.png]');
  process.exit(2);
}

function log(...a) { console.log('[review_cycle]', ...a); }
function check(ok, message) { if (!ok) throw new Error(message); }

// Polls `probe` (async, returns a truthy value when done) until TIMEOUT.
async function until(what, probe, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Waits until `locator`'s text is exactly `expected`.
async function expectText(locator, expected, what) {
  let seen;
  await until(`${what} to read ${JSON.stringify(expected)}`, async () => {
    seen = (await locator.textContent({ timeout: 1000 }))?.trim();
    return seen === expected;
  }).catch((e) => { throw new Error(`${e.message} (it reads ${JSON.stringify(seen)})`); });
}

// The `error.message` the server answers for a request that must fail.
async function serverMessage(url, init) {
  const res = await fetch(url, init);
  const body = await res.json();
  check(!res.ok && body.error && body.error.message, `expected an error from ${url}, got ${res.status} ${JSON.stringify(body)}`);
  return body.error.message;
}

// The data a review needs, made through the REST API: a template, a customer, the step
// required on the customer's profile, and the client's upload, document and submission.
async function setUp(baseUrl, adminPassword) {
  const admin = (await rest(baseUrl, null, 'POST', '/auth/login', { login: 'admin', password: adminPassword })).token;
  await rest(baseUrl, admin, 'POST', '/manager/kyc/templates', {
    brand: BRAND, code: 'proof_id', name: 'Proof of identity', level: 1,
    form_schema: { sections: [{ title: 'Identity', fields: [
      { name: 'full_name', type: 'text', required: true },
      { name: 'birth_date', type: 'date', required: true },
      { name: 'citizenship', type: 'country', required: true },
      { name: 'scan', type: 'file_reference', required: true }] }] },
  });
  await rest(baseUrl, admin, 'POST', '/manager/customers', {
    customer_id: CUSTOMER, brand: BRAND, first_name: 'Ann', last_name: 'Lee', email: 'ann.lee@example.com' });
  const required = await rest(baseUrl, admin, 'POST', '/manager/kyc/steps/require',
                              { customer_id: CUSTOMER, brand: BRAND, code: 'proof_id' });
  const stepId = required.step.id;
  const client = (await rest(baseUrl, admin, 'POST', '/manager/sessions/client', { customer_id: CUSTOMER, brand: BRAND })).token;
  const form = new FormData();
  form.append('file', new Blob([makePng(PNG_WIDTH, PNG_HEIGHT)], { type: 'image/png' }), 'passport.png');
  const upload = await rest(baseUrl, client, 'POST', '/upload', form);
  await rest(baseUrl, client, 'POST', '/client/kyc/documents', { file_id: upload.file_id, doc_type: 'passport', step_id: stepId });
  const submit = (answers) => rest(baseUrl, client, 'POST', `/client/kyc/steps/${stepId}/submit`,
                                   { answers: { ...answers, scan: upload.file_id } });
  await submit({ full_name: 'Ann Lee', birth_date: '1990-02-28', citizenship: 'DE' });
  return { admin, stepId, fileId: upload.file_id, submit };
}

// Opens the queue's item for `stepId` and waits for the step with its document image.
async function openStep(page, stepId) {
  const item = page.locator(`[data-testid="queue-item"][data-step-id="${stepId}"]`);
  await item.waitFor({ timeout: TIMEOUT });
  await item.click();
  const step = page.locator(`[data-testid="step"][data-step-id="${stepId}"]`);
  await step.waitFor({ timeout: TIMEOUT });
  const img = step.locator('img[data-testid="doc-image"]');
  await img.waitFor({ timeout: TIMEOUT });
  const size = await until('the document image to load', () => img.evaluate(
    (el) => el.complete && el.naturalWidth > 0 && [el.naturalWidth, el.naturalHeight]));
  check(size[0] === PNG_WIDTH && size[1] === PNG_HEIGHT,
        `the document image is ${size[0]}×${size[1]}, the upload was ${PNG_WIDTH}×${PNG_HEIGHT}`);
  return step;
}

async function expectAnswer(step, name, value) {
  await expectText(step.locator(`[data-testid="answers"] tr[data-answer="${name}"] td`), value, `answer ${name}`);
}

// Fills and confirms the console's comment/reason dialog.
async function answerDialog(page, text) {
  await page.locator('[data-testid="ask"]').waitFor({ timeout: TIMEOUT });
  await page.fill('[data-testid="ask-text"]', text);
  await page.click('[data-testid="ask-ok"]');
  await page.locator('[data-testid="ask"]').waitFor({ state: 'detached', timeout: TIMEOUT });
}

async function run(server, adminPassword, userDataDir) {
  const { baseUrl } = server;
  const { admin, stepId, submit } = await setUp(baseUrl, adminPassword);
  log(`step ${stepId} submitted by customer ${CUSTOMER} (${BRAND})`);

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 } });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const sent = [];
    page.on('request', (r) => sent.push(`${r.method()} ${new URL(r.url()).pathname}`));

    const index = await page.goto(`${baseUrl}/console/`);
    check(index && index.ok(), `GET /console/ answered ${index ? index.status() : 'nothing'}: kyc-server must serve console/ there`);
    await page.locator('[data-testid="login-name"]').waitFor({ timeout: TIMEOUT });

    // A wrong password: the login shows the server's message word for word.
    const wrong = await serverMessage(`${baseUrl}/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'not-the-password' }) });
    await page.fill('[data-testid="login-name"]', 'admin');
    await page.fill('[data-testid="login-password"]', 'not-the-password');
    await page.click('[data-testid="login-submit"]');
    await expectText(page.locator('[data-testid="login-error"]'), wrong, 'the login error');
    log(`wrong password shown as the server said it: "${wrong}"`);

    await page.fill('[data-testid="login-password"]', adminPassword);
    await page.click('[data-testid="login-submit"]');
    await expectText(page.locator('[data-testid="queue-count"]'), '1 pending step', 'the queue count');

    // First review: the answers beside the document; a revision without a comment is
    // refused in the page, then one with a comment is sent.
    let step = await openStep(page, stepId);
    await expectAnswer(step, 'full_name', 'Ann Lee');
    await expectAnswer(step, 'citizenship', 'DE');
    await step.locator('[data-testid="revision"]').click();
    const before = sent.length;
    await page.click('[data-testid="ask-ok"]');
    await page.locator('[data-testid="ask-problem"]').waitFor({ timeout: TIMEOUT });
    check(!sent.slice(before).some((r) => r.endsWith('/revision')), 'a revision without a comment reached the server');
    const comment = 'Please give your full legal name as on the passport';
    await page.fill('[data-testid="ask-text"]', comment);
    await page.click('[data-testid="ask-ok"]');
    await expectText(page.locator('[data-testid="queue-count"]'), '0 pending steps', 'the queue count after the revision');
    const revised = await rest(baseUrl, admin, 'GET', `/manager/kyc/steps/${stepId}`);
    check(revised.status_name === 'required' && revised.comment === comment && revised.revision_count === 1,
          `after the revision request the step is ${JSON.stringify({ status: revised.status_name, comment: revised.comment, revisions: revised.revision_count })}`);
    log('revision requested in the console');

    // The client resubmits; the reviewer reloads the queue and approves with the keyboard.
    await submit({ full_name: 'Ann Marie Lee', birth_date: '1990-02-28', citizenship: 'DE' });
    await page.click('[data-testid="queue-reload"]');
    await expectText(page.locator('[data-testid="queue-count"]'), '1 pending step', 'the queue count after the resubmission');
    step = await openStep(page, stepId);
    await expectAnswer(step, 'full_name', 'Ann Marie Lee');
    await step.locator('[data-testid="history"] li[data-action="step.revision"]').waitFor({ timeout: TIMEOUT });
    if (screenshot) {
      await page.screenshot({ path: screenshot });
      log(`screenshot: ${screenshot}`);
    }
    await page.locator('body').click({ position: { x: 5, y: 5 } });  // focus off any input
    await page.keyboard.press('a');
    await answerDialog(page, 'Identity confirmed');
    await expectText(page.locator('[data-testid="queue-count"]'), '0 pending steps', 'the queue count after approval');
    log('approved in the console (keyboard "a")');

    // An unknown token: the next call answers 401 and the console is back at the login,
    // with the server's message.
    const bogus = 'f'.repeat(64);
    const expired = await serverMessage(`${baseUrl}/manager/kyc/profiles`, { headers: { Authorization: `Bearer ${bogus}` } });
    await page.evaluate((t) => sessionStorage.setItem('kyc.token', t), bogus);
    await page.click('[data-testid="queue-reload"]');
    await expectText(page.locator('[data-testid="login-error"]'), expired, 'the login error after a 401');
    log(`a 401 leads back to the login with "${expired}"`);

    check(pageErrors.length === 0, `errors in the page: ${pageErrors.join('; ')}`);
  } finally {
    await context.close();
  }

  // The profile's status over TCP.
  const tcp = await TcpClient.connect(server.tcpPort);
  try {
    const login = await tcp.call('Login', { login: 'admin', password: adminPassword });
    check(login.status === 0, `TCP Login → status ${login.status} ${JSON.stringify(login.body)}`);
    const profile = await tcp.call('MngGetKycProfile', { customer_id: CUSTOMER, brand: BRAND });
    check(profile.status === 0, `TCP MngGetKycProfile → status ${profile.status} ${JSON.stringify(profile.body)}`);
    const p = profile.body;
    check(p.status === 3 && p.status_name === 'approved' && p.level === 1,
          `the profile over TCP is ${p.status_name} (${p.status}) at level ${p.level}; want approved (3) at level 1`);
    const s = p.steps.find((x) => x.id === stepId);
    check(s && s.status_name === 'approved' && s.comment === 'Identity confirmed',
          `the step over TCP: ${JSON.stringify(s)}`);
    log(`TCP: profile ${p.id} is ${p.status_name}, level ${p.level}`);
  } finally {
    tcp.close();
  }
}

const adminPassword = randomBytes(12).toString('hex');
const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'kyc-chromium-'));
let server;
let failed = false;
try {
  server = await startServer(binary, adminPassword);
  log(`kyc-server on tcp ${server.tcpPort}, http ${server.httpPort}`);
  await run(server, adminPassword, userDataDir);
  log('PASS');
} catch (e) {
  failed = true;
  console.error(`[review_cycle] FAIL: ${e.message}`);
  if (server) console.error(`[review_cycle] kyc-server stderr (last lines):\n${server.stderr().split('\n').slice(-20).join('\n')}`);
} finally {
  if (server) await server.stop();
  rmSync(userDataDir, { recursive: true, force: true });
  if (server) rmSync(server.dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
