// The one place that talks to kyc-server: JSON over the REST routes with the session's
// bearer token (kept in sessionStorage, so it dies with the tab). Every failure becomes
// an ApiError carrying the server's own {code, message}; a 401 also ends the session
// here and tells the app (event "kyc:unauthorized") so it can show the login again.

const TOKEN_KEY = 'kyc.token';
const ME_KEY = 'kyc.me';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  // The Login answer: {token, session_type, manager_id, login, roles, permissions, expires_at}.
  get me() { return JSON.parse(sessionStorage.getItem(ME_KEY) || 'null'); },
  save(login) {
    sessionStorage.setItem(TOKEN_KEY, login.token);
    const { token, ...me } = login;
    sessionStorage.setItem(ME_KEY, JSON.stringify(me));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ME_KEY);
  },
};

// "?a=1&b=x" from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function send(method, path, body) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', `the server cannot be reached (${e.message})`);
  }
  if (res.ok) return res;
  let code = 'http_' + res.status;
  let message = `${res.status} ${res.statusText}`;
  try {
    const err = (await res.json()).error;
    if (err && typeof err.message === 'string') ({ code, message } = err);
  } catch { /* not the JSON error body: keep the HTTP status line */ }
  const error = new ApiError(res.status, code, message);
  if (res.status === 401 && path !== '/auth/login') {
    session.clear();
    window.dispatchEvent(new CustomEvent('kyc:unauthorized', { detail: error }));
  }
  throw error;
}

// A JSON answer of a route.
export async function call(method, path, body) {
  const res = await send(method, path, body);
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

export const get = (path, params = {}) => call('GET', path + query(params));
export const post = (path, body = {}) => call('POST', path, body);

// A stored file's bytes (GET /manager/files/{file_id}) as a Blob with the server's
// Content-Type; the bearer header is why <img src> cannot fetch it directly.
export async function fileBlob(fileId) {
  const res = await send('GET', `/manager/files/${encodeURIComponent(fileId)}`);
  return res.blob();
}

export async function login(loginName, password) {
  const answer = await call('POST', '/auth/login', { login: loginName, password });
  session.save(answer);
  return answer;
}

export async function logout() {
  try {
    if (session.token) await call('POST', '/auth/logout', {});
  } finally {
    session.clear();
  }
}
