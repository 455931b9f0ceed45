#!/usr/bin/env python3
"""A misbehaving HTTP server for simsh's client fault tests (loopback only).

Usage: fault_server.py MODE [ARG]. Prints "port N" on a line, then serves until killed.
  trickle-body SECONDS   the head at once, then one byte of body every SECONDS
  big-json BYTES         200, application/json, a body of BYTES
  big-binary BYTES       200, application/octet-stream, a body of BYTES
  tls-self-signed        HTTPS with a self-signed certificate; answers a Simotel envelope
  tls-expired            HTTPS with a certificate that expired five days ago
  plain                  answers whatever arrives with an HTTP 400 at once (a TLS client meets HTTP)
  close                  reads the request, then closes without a word
  close-mid              the head (Content-Length 1000) and 10 bytes of body, then closes
  reset                  the head and part of the body, then resets the connection (RST)
  stall                  accepts and never reads nor answers
  trickle-head SECONDS   one byte of the head every SECONDS
  html-5xx               502 with a web server's HTML page
  html-200               200 with an HTML page (a web server where the API should be)
  redirect               301 to https://127.0.0.1:1/api/v4/
  ok                     answers the ping envelope
"""
import datetime
import os
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head


def certificate(expired):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = (now - datetime.timedelta(days=10), now - datetime.timedelta(days=5)) if expired else (
        now - datetime.timedelta(days=1), now + datetime.timedelta(days=1))
    import ipaddress
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    d = tempfile.mkdtemp()
    cert_path, key_path = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cert_path, key_path


def serve(mode, arg):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    context = None
    if mode.startswith("tls-"):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*certificate(mode == "tls-expired"))
    print("port", listener.getsockname()[1], flush=True)

    def handle(conn):
        try:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if context:
                conn = context.wrap_socket(conn, server_side=True)
            if mode == "plain":
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if mode == "stall":
                time.sleep(600)
                return
            if read_request(conn) is None:
                return
            page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
            if mode == "close":
                return
            if mode in ("close-mid", "reset"):
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                             + b'{"success":')
                if mode == "reset":
                    time.sleep(0.2)
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if mode == "trickle-head":
                for b in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"x" * 1000:
                    conn.sendall(bytes([b]))
                    time.sleep(float(arg))
                return
            if mode in ("html-5xx", "html-200"):
                status = b"502 Bad Gateway" if mode == "html-5xx" else b"200 OK"
                conn.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html\r\nContent-Length: "
                             + str(len(page)).encode() + b"\r\nConnection: close\r\n\r\n" + page)
                return
            if mode == "redirect":
                conn.sendall(b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://127.0.0.1:1/api/v4/\r\n"
                             b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if mode == "trickle-body":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                for _ in range(999):
                    time.sleep(float(arg))
                    conn.sendall(b" ")
            elif mode in ("big-json", "big-binary"):
                size = int(arg)
                kind = b"application/json" if mode == "big-json" else b"application/octet-stream"
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + kind + b"\r\nContent-Length: "
                             + str(size).encode() + b"\r\nConnection: close\r\n\r\n")
                if mode == "big-json":
                    # A valid envelope: many small records, padded with spaces to SIZE bytes.
                    head, record, tail = b'{"success":1,"message":"","data":[', b'{"n":"0123456789"},', b'{}]}'
                    count = max(0, (size - len(head) - len(tail)) // len(record))
                    conn.sendall(head)
                    block = record * 4096
                    for _ in range(count // 4096):
                        conn.sendall(block)
                    conn.sendall(record * (count % 4096) + tail)
                    conn.sendall(b" " * (size - len(head) - len(tail) - count * len(record)))
                else:
                    chunk, sent = os.urandom(65536), 0
                    while sent < size:
                        part = chunk[: min(len(chunk), size - sent)]
                        conn.sendall(part)
                        sent += len(part)
            else:
                body = b'{"success":1,"message":"pong","data":null}'
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
