// Helpers for the browser test: start a throwaway kyc-server, call its REST API, and
// speak its TCP framing (docs/PROTOCOL.md §1) from Node, with no dependency.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

// Starts `binary` on ephemeral loopback ports in a fresh temporary directory and waits
// (20 s at most) for its "tcp 127.0.0.1:PORT" and "http 127.0.0.1:PORT" lines.
// Resolves {proc, dir, tcpPort, httpPort, baseUrl, stop(), stderr()}.
export async function startServer(binary, adminPassword) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kyc-browser-'));
  const config = path.join(dir, 'server.toml');
  writeFileSync(config, '[password_hash]\nops_limit = 1\nmem_limit = 8192\n');
  const proc = spawn(binary, ['--data', path.join(dir, 'data'), '--tcp', '127.0.0.1:0',
                              '--http', '127.0.0.1:0', '--config', config], {
    env: { ...process.env, KYC_ADMIN_PASSWORD: adminPassword },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const server = {
    proc, dir, tcpPort: 0, httpPort: 0, baseUrl: '',
    stderr: () => err,
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 10000).unref();
    }),
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('did not print its ports within 20 s'), 20000);
    function fail(why) {
      clearTimeout(timer);
      server.stop().then(() => {
        rmSync(dir, { recursive: true, force: true });
        reject(new Error(`kyc-server ${why}\nstdout: ${out}\nstderr: ${err}`));
      });
    }
    proc.on('error', (e) => fail(`could not start: ${e.message}`));
    proc.on('exit', (code, sig) => fail(`exited early (code ${code}, signal ${sig})`));
    proc.stdout.on('data', (d) => {
      out += d;
      const tcp = /^tcp 127\.0\.0\.1:(\d+)$/m.exec(out);
      const http = /^http 127\.0\.0\.1:(\d+)$/m.exec(out);
      if (tcp && http) {
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        server.tcpPort = Number(tcp[1]);
        server.httpPort = Number(http[1]);
        server.baseUrl = `http://127.0.0.1:${server.httpPort}`;
        resolve();
      }
    });
  });
  return server;
}

// A REST call that must succeed: resolves the parsed JSON answer, throws with the
// server's error body otherwise. `body` is JSON, or a FormData for /upload.
export async function rest(baseUrl, token, method, route, body) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(baseUrl + route, { method, headers, body: payload });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

// One TCP connection speaking the KYC1 framing; call() sends a request and resolves
// {status, name, body (parsed JSON)} for the response with the same request id.
export class TcpClient {
  static connect(port) {
    return new Promise((resolve, reject) => {
      const sock = net.createConnection({ host: '127.0.0.1', port }, () => resolve(new TcpClient(sock)));
      sock.once('error', reject);
    });
  }

  constructor(sock) {
    this.sock = sock;
    this.buf = Buffer.alloc(0);
    this.nextId = 1;
    this.waiting = new Map();
    sock.on('data', (d) => this.#onData(d));
    sock.on('error', (e) => this.#failAll(e));
    sock.on('close', () => this.#failAll(new Error('TCP connection closed')));
  }

  call(name, params = {}) {
    const id = this.nextId++;
    const nameBytes = Buffer.from(name, 'ascii');
    const json = Buffer.from(JSON.stringify(params), 'utf8');
    const header = Buffer.alloc(16);
    header.write('KYC1', 0, 'ascii');
    header.writeUInt32LE(nameBytes.length + json.length, 4);
    header.writeUInt32LE(id, 8);
    header.writeUInt16LE(nameBytes.length, 12);
    header.writeUInt8(0, 14);  // kind: request
    header.writeUInt8(0, 15);  // status
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`TCP ${name}: no answer within 10 s`));
      }, 10000);
      this.waiting.set(id, { resolve, reject, timer });
      this.sock.write(Buffer.concat([header, nameBytes, json]));
    });
  }

  close() { this.sock.destroy(); }

  #onData(d) {
    this.buf = Buffer.concat([this.buf, d]);
    while (this.buf.length >= 16) {
      if (this.buf.toString('ascii', 0, 4) !== 'KYC1') {
        this.#failAll(new Error('TCP answer with a bad magic'));
        return;
      }
      const length = this.buf.readUInt32LE(4);
      if (this.buf.length < 16 + length) return;
      const id = this.buf.readUInt32LE(8);
      const nameLen = this.buf.readUInt16LE(12);
      const kind = this.buf.readUInt8(14);
      const status = this.buf.readUInt8(15);
      const name = this.buf.toString('ascii', 16, 16 + nameLen);
      const json = this.buf.toString('utf8', 16 + nameLen, 16 + length);
      this.buf = this.buf.subarray(16 + length);
      const w = this.waiting.get(id);
      if (kind !== 1 || !w) continue;  // events and strays are not ours
      this.waiting.delete(id);
      clearTimeout(w.timer);
      w.resolve({ status, name, body: json ? JSON.parse(json) : {} });
    }
  }

  #failAll(e) {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(e);
    }
    this.waiting.clear();
  }
}

// A small valid PNG (RGB, `width` × `height`, a two-colour pattern) built here, so the
// test needs no fixture file; the console must show it inline at this size.
export function makePng(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);  // 8-bit, truecolour, deflate, no filter, no interlace
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);  // filter byte 0, then RGB
    for (let x = 0; x < width; x++) {
      const on = ((x >> 4) + (y >> 4)) % 2 === 0;
      row.set(on ? [31, 95, 191] : [246, 247, 249], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
