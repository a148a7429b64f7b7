"""The production stack on loopback: gunicorn from deploy/gunicorn.conf.py, nginx from
deploy/nginx.conf (with local ports, paths and a throwaway TLS certificate put in), a
chain server standing in for Amazon's S3, slow clients, and signed requests."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from skill.config import PROJECT_ROOT
from skill.simulator.signing import StandInPKI
from skill.store.migrations import upgrade
from skill.web.envelopes import LOCAL_SKILL_ID, Session

from .servers import free_port

NGINX = Path("/usr/sbin/nginx")
CHAIN_PATH = "/echo.api/stack.pem"


def wait_for(url: str, process: subprocess.Popen, log: Path, context=None) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=1, context=context)
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.05)
    raise RuntimeError(f"{url} never answered:\n{log.read_text()}")


def server_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, as the TLS front of the stack."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def nginx_config(folder: Path, port: int, upstream: int, cert: Path, key: Path) -> Path:
    """deploy/nginx.conf with this machine's ports and paths; each change must apply."""
    text = (PROJECT_ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in [
        ("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"),
        ("/etc/ssl/bone-builder/fullchain.pem", str(cert)),
        ("/etc/ssl/bone-builder/privkey.pem", str(key)),
        ("/run/nginx.pid", str(folder / "nginx.pid")),
        ("/var/log/nginx/error.log", str(folder / "nginx-error.log")),
        ("/var/lib/nginx/", f"{folder}/nginx-"),
    ]:
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


class ChainServer:
    """Serves the stand-in CA's chain; Amazon's S3 is the one part of the path stood in for."""

    def __init__(self, pki: StandInPKI):
        chain = pki.chain_pem()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(len(chain)))
                self.end_headers()
                self.wfile.write(chain)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def gunicorn(folder: Path, extra: list[str] | None = None, env: dict | None = None):
    """gunicorn with deploy/gunicorn.conf.py and verification on; yields (port, pki)."""
    pki = StandInPKI()
    chains = ChainServer(pki)
    roots = folder / "roots.pem"
    roots.write_bytes(pki.root.public_bytes(serialization.Encoding.PEM))
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ALEXA_")}
    environ.update(
        ALEXA_SKILL_ID=LOCAL_SKILL_ID,
        ALEXA_TRUSTED_ROOTS_FILE=str(roots),
        ALEXA_CERT_MIRROR=chains.url,
        DATABASE_URL=f"sqlite:///{folder / 'stack.sqlite3'}",
        **(env or {}),
    )
    upgrade(environ["DATABASE_URL"])  # migrated first, as the deploy recipe does
    log = folder / "gunicorn.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        str(PROJECT_ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        *(extra or []),
    ]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process, log)
        yield port, pki
    finally:
        process.terminate()
        process.wait(timeout=30)
        chains.close()


@contextlib.contextmanager
def nginx(folder: Path, upstream: int):
    """nginx from deploy/nginx.conf in front of ``upstream``; yields (port, TLS context)."""
    cert, key = server_certificate(folder)
    port = free_port()
    config = nginx_config(folder, port, upstream, cert, key)
    log = folder / "nginx-error.log"
    log.touch()
    process = subprocess.Popen(
        [str(NGINX), "-c", str(config), "-p", str(folder), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=log.open("a"),
    )
    context = ssl.create_default_context(cafile=str(cert))
    try:
        wait_for(f"https://127.0.0.1:{port}/healthz", process, log, context)
        yield port, context
    finally:
        process.terminate()
        process.wait(timeout=30)


class SlowClients:
    """``count`` connections that send a request a byte at a time and never finish it: half
    stall in the headers, half in the body."""

    def __init__(self, port: int, count: int, context: ssl.SSLContext | None = None):
        self.sockets: list[socket.socket] = []
        self.opened = self.dropped = 0
        for n in range(count):
            try:
                raw = socket.create_connection(("127.0.0.1", port), timeout=5)
                sock = context.wrap_socket(raw, server_hostname="127.0.0.1") if context else raw
                start = b"POST /alexa HTTP/1.1\r\nHost: x\r\n"
                if n % 2:
                    start += b"Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n"
                sock.sendall(start)
                self.sockets.append(sock)
                self.opened += 1
            except OSError:
                self.dropped += 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drip, daemon=True)
        self._thread.start()

    def _drip(self) -> None:
        n = 0
        while not self._stop.wait(0.5):
            n += 1
            for sock in list(self.sockets):
                try:
                    sock.sendall(b"X-Slow-%d: 1\r\n" % n)
                except OSError:
                    self.sockets.remove(sock)
                    self.dropped += 1

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()


def signed_launch(port: int, pki: StandInPKI, timeout: float, context=None) -> tuple[int, float]:
    """A signed LaunchRequest: (status, seconds taken); status 0 when no answer came."""
    body = json.dumps(Session().launch()).encode()
    headers = {
        "Content-Type": "application/json",
        "Signature-256": pki.sign(body),
        "SignatureCertChainUrl": "https://s3.amazonaws.com" + CHAIN_PATH,
    }
    cls = http.client.HTTPSConnection if context else http.client.HTTPConnection
    kwargs = {"context": context} if context else {}
    started = time.monotonic()
    conn = cls("127.0.0.1", port, timeout=timeout, **kwargs)
    try:
        conn.request("POST", "/alexa", body=body, headers=headers)
        reply = conn.getresponse()
        answer = json.loads(reply.read())
        ok = reply.status == 200 and "Welcome" in answer["response"]["outputSpeech"]["ssml"]
        return (reply.status if ok else -reply.status), time.monotonic() - started
    except (OSError, http.client.HTTPException, ValueError):
        return 0, time.monotonic() - started
    finally:
        conn.close()
