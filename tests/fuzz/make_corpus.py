#!/usr/bin/env python3
"""Seed corpora for the fuzzers (tests/fuzz/corpus/<target>/): a valid request frame of
every command of the command table (protocol/commands.h), and a few valid inputs of each
other parser. Run from the repository root; the files are committed."""
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


for i, name in enumerate(names):
    write("frame", name, frame(i + 1, name, '{"id":1,"brand":"acme","customer_id":7}'))
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
    write("tcp_path", name, frame(i + 1, name, '{"id":1,"brand":"acme","customer_id":7}'))

# The whole REST path: a request to every route of the table, with the harness's token.
routes = re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)", "(/[^"]*)"\}', table)
for i, (method, path) in enumerate(routes):
    target = re.sub(r"\{[a-z_]+\}", "1", path)
    body = b"" if method == "GET" else b'{"brand":"acme","customer_id":7}'
    head = (f"{method} {target} HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer $TOKEN\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    write("rest_path", f"route{i:03d}", head.encode() + body)
write("rest_path", "keep-alive-pair",
      b"GET /ping HTTP/1.1\r\nHost: f\r\n\r\nGET /manager/kyc/profiles?limit=2 HTTP/1.1\r\n"
      b"Host: f\r\nAuthorization: Bearer $TOKEN\r\n\r\n")
write("rest_path", "upload",
      b"POST /upload HTTP/1.1\r\nHost: f\r\nAuthorization: Bearer $TOKEN\r\n"
      b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 101\r\n\r\n"
      b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"
      b"\x89PNG\r\n\x1a\nDATA\r\n--b--\r\n")
print(f"{len(names)} command frames, {len(routes)} routes and the other seeds written under {corpus}")
