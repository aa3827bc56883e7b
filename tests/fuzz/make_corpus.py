#!/usr/bin/env python3
"""Seed corpora for the fuzzers (tests/fuzz/corpus/<target>/): a valid request frame of
every command of the command table (protocol/commands.h), and a few valid inputs of each
other parser. Run from the repository root; the files are committed."""
import json
import os
import re
import struct

root = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(root, "corpus")
table = open(os.path.join(root, "..", "..", "protocol", "commands.h")).read()
names = re.findall(r'^\s*\{"([A-Za-z]+)", k', table, re.M)


def frame(request_id, name, body):
    name_b, body_b = name.encode(), body.encode()
    length = len(name_b) + len(body_b)
    return b"KYC1" + struct.pack("<IIHBB", length, request_id, len(name_b), 0, 0) + name_b + body_b


def write(target, name, data):
    with open(os.path.join(corpus, target, name), "wb") as f:
        f.write(data)


# Each row's params text, "{id, reason} → …": its required fields, with a plausible value
# each, make a request the handler accepts or refuses on the merits (not as unknown fields).
rows = re.findall(r'^\s*\{"([A-Za-z]+)", k.*?"\{([^"]*?)\}[^"]*→', table, re.M | re.S)
params_text = dict(rows)


def value(field):
    if field == "customer_id":
        return 7
    if field == "id" or field.endswith("_id") or field in ("level", "limit", "offset", "months"):
        return 1
    if field == "brand":
        return "acme"
    if field == "currency":
        return "EUR"
    if field in ("amount", "x", "eur_amount", "percent", "min_amount", "max_amount"):
        return "10.00"
    if field == "session_type":
        return "SESSION_MANAGER"
    if field == "password":
        return "Fuzz-pass-word-1"
    if field in ("answers", "params", "fields", "form_schema"):
        return {}
    if field in ("topics", "events", "roles", "currencies", "brands"):
        return []
    return "x"


def params(name, drop=()):
    text = params_text.get(name, "").split("|")[0]
    fields = [f.strip() for f in text.split(",")]
    required = [f for f in fields
                if f and re.fullmatch(r"[a-z_]+", f) and f not in drop]
    return json.dumps({f: value(f) for f in required}, separators=(",", ":"))


for i, name in enumerate(names):
    write("frame", name, frame(i + 1, name, params(name)))
write("frame", "pipelined", frame(1, "Ping", "{}") + frame(2, "Login", '{"login":"a","password":"b"}'))

for i, text in enumerate(["0", "1500.25", "-0.5", "0.12345678", "99999999999999999999.99"]):
    write("decimal", f"d{i}", text.encode())

write("statement", "basic",
      b"psp_order_id,amount,currency,status,date\n"
      b"a,1.00,EUR,succeeded,2026-11-30\n"
      b"\"b,2\",-2.50,EUR,paid,2026-11-30T10:00:00Z\n"
      b"c,3,USD,declined,2026-12-01 09:00\n")

write("multipart", "one-file",
      b"--kyc-fuzz-boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
      b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\nDATA\r\n--kyc-fuzz-boundary--\r\n")

write("form_schema", "schema-and-answers",
      b'{"form_schema":{"sections":[{"title":"Identity","fields":['
      b'{"name":"full_name","type":"text","required":true},'
      b'{"name":"country","type":"country"},{"name":"born","type":"date"},'
      b'{"name":"kind","type":"select","options":["a","b"]}]}]},'
      b'"answers":{"full_name":"Ann Lee","country":"DE","born":"1990-01-02","kind":"a"}}')
# The whole TCP path: the same frames, sent after the harness's Auth frame.
for i, name in enumerate(names):
    write("tcp_path", name, frame(i + 1, name, params(name)))

# The whole REST path: a request to every route of the table, with the harness's admin
# token, or its client token on client routes.
starts = [m for m in re.finditer(r'^\s*\{"([A-Za-z]+)", (k[A-Za-z]+),', table, re.M)]
count = 0
for k, m in enumerate(starts):
    name, access = m.group(1), m.group(2)
    row = table[m.end():starts[k + 1].start() if k + 1 < len(starts) else len(table)]
    for method, path in re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)", "(/[^"]*)"\}', row):
        target = re.sub(r"\{[a-z_]+\}", "1", path)
        in_path = re.findall(r"\{([a-z_]+)\}", path)
        body = b"" if method == "GET" else params(name, in_path).encode()
        token = "$CLIENT_TOKEN" if access == "kClient" else "$TOKEN"
        head = (f"{method} {target} HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        write("rest_path", f"route{count:03d}", head.encode() + body)
        count += 1
write("rest_path", "keep-alive-pair",
      b"GET /ping HTTP/1.1\r\nHost: f\r\n\r\nGET /manager/kyc/profiles?limit=2 HTTP/1.1\r\n"
      b"Host: f\r\nAuthorization: Bearer $TOKEN\r\n\r\n")
upload = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
          b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\nDATA\r\n--b--\r\n")
for who, token in (("staff", "$TOKEN"), ("client", "$CLIENT_TOKEN")):
    write("rest_path", f"upload-{who}",
          f"POST /upload HTTP/1.1\r\nHost: f\r\nAuthorization: Bearer {token}\r\n"
          f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {len(upload)}"
          f"\r\n\r\n".encode() + upload)
print(f"{len(names)} command frames, {count} routes and the other seeds written under {corpus}")
