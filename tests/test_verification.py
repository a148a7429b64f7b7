"""Request verification with real X.509 chains made here and served over local HTTP.

Amazon's S3 (which hosts the real signing chain) lives in Amazon's cloud, so it is the
one thing stood in for: ALEXA_CERT_MIRROR points chain downloads at a local server,
after the SignatureCertChainUrl has passed the real URL checks.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from skill.simulator.signing import StandInPKI
from skill.web.envelopes import Session
from tests.helpers import make_app

SKILL_ID = "amzn1.ask.skill.test-verification"
GOOD_URL = "https://s3.amazonaws.com/echo.api/good.pem"


@pytest.fixture(scope="module")
def pkis():
    return {
        "good": StandInPKI(),
        "expired": StandInPKI(leaf_valid_days=(-30, -1)),
        "wrong-san": StandInPKI(san="example.com"),
        "untrusted": StandInPKI(root_name="Someone Else's Root"),
        "wildcard": StandInPKI(san="*.amazon.com"),
    }


@pytest.fixture(scope="module")
def chain_server(pkis):
    hits: dict[str, int] = {}
    chains = {f"/echo.api/{name}.pem": pki.chain_pem() for name, pki in pkis.items()}
    chains["/echo.api/garbage.pem"] = b"this is not a certificate"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits[self.path] = hits.get(self.path, 0) + 1
            body = chains.get(self.path)
            self.send_response(200 if body else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.fixture
def app(tmp_path, pkis, chain_server):
    trusted = [pkis[name].root for name in ("good", "expired", "wrong-san", "wildcard")]
    return make_app(
        {
            "ALEXA_VERIFY_SIGNATURES": True,
            "ALEXA_SKILL_ID": SKILL_ID,
            "ALEXA_TRUSTED_ROOTS": trusted,
            "ALEXA_CERT_MIRROR": chain_server[0],
            "DATABASE_URL": f"sqlite:///{tmp_path / 'state.sqlite3'}",
        }
    )


def launch_body(skill_id: str = SKILL_ID, shift_seconds: int = 0) -> bytes:
    envelope = Session(skill_id=skill_id).launch()
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=shift_seconds)
    envelope["request"]["timestamp"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(envelope).encode()


def post(client, body: bytes, url: str | None = GOOD_URL, signature: str | None = None):
    headers = {"Content-Type": "application/json"}
    if url is not None:
        headers["SignatureCertChainUrl"] = url
    if signature is not None:
        headers["Signature-256"] = signature
    return client.post("/alexa", data=body, headers=headers)


def stored_users(app) -> int:
    engine = app.extensions["bone_builder"].persistence.engine
    with engine.connect() as conn:
        return conn.exec_driver_sql("select count(*) from people").scalar()


def test_genuine_request_is_answered(client, pkis):
    body = launch_body()
    reply = post(client, body, signature=pkis["good"].sign(body))
    assert reply.status_code == 200
    assert reply.get_json()["response"]["outputSpeech"]["ssml"].startswith("<speak>")


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com:443/echo.api/good.pem",
        "https://S3.AmazonAWS.com/echo.api/good.pem",
        "HTTPS://s3.amazonaws.com/echo.api/../echo.api/good.pem",
    ],
)
def test_url_variants_alexa_allows(client, pkis, url):
    body = launch_body()
    assert post(client, body, url=url, signature=pkis["good"].sign(body)).status_code == 200


def test_chain_is_downloaded_once_per_url(client, pkis, chain_server):
    hits = chain_server[1]
    hits.pop("/echo.api/good.pem", None)
    for url in (GOOD_URL, "https://s3.amazonaws.com/echo.api/../echo.api/good.pem", GOOD_URL):
        body = launch_body()
        assert post(client, body, url=url, signature=pkis["good"].sign(body)).status_code == 200
    assert hits["/echo.api/good.pem"] == 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/good.pem", "https"),
        ("https://notamazon.com/echo.api/good.pem", "host"),
        ("https://s3.amazonaws.com/EcHo.aPi/good.pem", "path"),
        ("https://s3.amazonaws.com/invalid.path/good.pem", "path"),
        ("https://s3.amazonaws.com/echo.api/../invalid.path/good.pem", "path"),
        ("https://s3.amazonaws.com:563/echo.api/good.pem", "port"),
        ("https://s3.amazonaws.com:notaport/echo.api/good.pem", "malformed"),
    ],
)
def test_bad_certificate_urls(app, client, pkis, url, reason):
    body = launch_body()
    reply = post(client, body, url=url, signature=pkis["good"].sign(body))
    assert reply.status_code == 400
    assert reason in reply.get_json()["error"]
    assert stored_users(app) == 0


@pytest.mark.parametrize(
    ("chain", "reason"),
    [
        ("expired", "validity dates"),
        ("wrong-san", "echo-api.amazon.com"),
        ("wildcard", "echo-api.amazon.com"),
        ("untrusted", "trusted root"),
        ("garbage", "PEM"),
        ("missing", "could not be downloaded"),
    ],
)
def test_bad_chains(app, client, pkis, chain, reason):
    body = launch_body()
    signer = pkis.get(chain, pkis["good"])
    url = f"https://s3.amazonaws.com/echo.api/{chain}.pem"
    reply = post(client, body, url=url, signature=signer.sign(body))
    assert reply.status_code == 400
    assert reason in reply.get_json()["error"]
    assert stored_users(app) == 0


def test_signature_from_another_key(client, pkis):
    body = launch_body()
    reply = post(client, body, signature=pkis["untrusted"].sign(body))
    assert reply.status_code == 400
    assert "signature does not match" in reply.get_json()["error"]


def test_tampered_body(client, pkis):
    body = launch_body()
    signature = pkis["good"].sign(body)
    tampered = body.replace(b"LaunchRequest", b"LaunchRequesT")
    reply = post(client, tampered, signature=signature)
    assert reply.status_code == 400
    assert "signature does not match" in reply.get_json()["error"]


def test_signature_not_base64(client):
    reply = post(client, launch_body(), signature="not base64 at all!")
    assert reply.status_code == 400
    assert "base64" in reply.get_json()["error"]


# Timestamps carry whole seconds, so a future one is up to a second nearer than its shift:
# 152 s is the nearest that is always past the 150 s tolerance.
@pytest.mark.parametrize("shift", [-151, -600, 152, 3600])
def test_stale_and_future_timestamps(client, pkis, shift):
    body = launch_body(shift_seconds=shift)
    reply = post(client, body, signature=pkis["good"].sign(body))
    assert reply.status_code == 400
    assert "timestamp" in reply.get_json()["error"]


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        (None, "timestamp is missing"),
        (1700000000, "timestamp is missing"),
        (["2026-01-01T00:00:00Z"], "timestamp is missing"),
        ("yesterday", "not ISO 8601"),
        ("", "not ISO 8601"),
        ("2026-13-45T00:00:00Z", "not ISO 8601"),
    ],
)
def test_timestamps_that_are_not_times(client, pkis, stamp, reason):
    envelope = json.loads(launch_body())
    envelope["request"]["timestamp"] = stamp
    body = json.dumps(envelope).encode()
    reply = post(client, body, signature=pkis["good"].sign(body))
    assert reply.status_code == 400
    assert reason in reply.get_json()["error"]


def test_timestamp_left_out(client, pkis):
    envelope = json.loads(launch_body())
    del envelope["request"]["timestamp"]
    body = json.dumps(envelope).encode()
    reply = post(client, body, signature=pkis["good"].sign(body))
    assert reply.status_code == 400
    assert "timestamp is missing" in reply.get_json()["error"]


@pytest.mark.parametrize("shift", [-140, 140])
def test_timestamps_inside_tolerance(client, pkis, shift):
    body = launch_body(shift_seconds=shift)
    assert post(client, body, signature=pkis["good"].sign(body)).status_code == 200


def test_wrong_application_id(app, client, pkis):
    body = launch_body(skill_id="amzn1.ask.skill.someone-else")
    reply = post(client, body, signature=pkis["good"].sign(body))
    assert reply.status_code == 400
    assert "different skill" in reply.get_json()["error"]
    assert stored_users(app) == 0


@pytest.mark.parametrize("missing", ["SignatureCertChainUrl", "Signature-256"])
def test_missing_headers(client, pkis, missing):
    body = launch_body()
    signature = pkis["good"].sign(body)
    reply = post(
        client,
        body,
        url=None if missing == "SignatureCertChainUrl" else GOOD_URL,
        signature=None if missing == "Signature-256" else signature,
    )
    assert reply.status_code == 400
    assert missing in reply.get_json()["error"]


def test_legacy_sha1_signature_header_alone_is_refused(client, pkis):
    body = launch_body()
    reply = client.post(
        "/alexa",
        data=body,
        headers={"SignatureCertChainUrl": GOOD_URL, "Signature": pkis["good"].sign(body)},
    )
    assert reply.status_code == 400


def test_rejection_is_logged(client, caplog):
    post(client, launch_body(), url="http://s3.amazonaws.com/echo.api/good.pem", signature="AA==")
    assert any("rejected request" in r.getMessage() for r in caplog.records)


def test_a_failed_chain_url_is_remembered_for_a_while(client, pkis, chain_server):
    hits = chain_server[1]
    hits.pop("/echo.api/does-not-exist.pem", None)
    for _ in range(50):
        body = launch_body()
        url = "https://s3.amazonaws.com/echo.api/does-not-exist.pem"
        reply = post(client, body, url=url, signature=pkis["good"].sign(body))
        assert reply.status_code == 400
        assert "could not be downloaded" in reply.get_json()["error"]
    assert hits["/echo.api/does-not-exist.pem"] == 1


def test_a_failed_chain_url_is_tried_again_later(pkis):
    """S3 lives in Amazon's cloud: a counting function stands in for the download."""
    from skill.web import verify

    now = [dt.datetime.now(dt.UTC)]
    fetched = []

    def fetch(url):
        fetched.append(url)
        raise OSError("no such chain")

    certificates = verify.SigningCertificates([pkis["good"].root], fetch, clock=lambda: now[0])
    url = "https://s3.amazonaws.com/echo.api/x.pem"
    for _ in range(3):
        with pytest.raises(verify.RequestRejected):
            certificates.public_key_for(url)
    assert len(fetched) == 1
    now[0] += verify.FAILED_CHAIN_TTL + dt.timedelta(seconds=1)
    with pytest.raises(verify.RequestRejected):
        certificates.public_key_for(url)
    assert len(fetched) == 2


@pytest.fixture
def one_chain_server():
    """A local stand-in for S3 serving one body, to be set by the test (``served[0]``)."""
    served = [b""]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(served[0])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", served
    server.shutdown()


def padded_to(pem: bytes, size: int) -> bytes:
    """The chain with a trailing line of padding (PEM readers skip it) making ``size`` bytes."""
    return pem + b"#" * (size - len(pem) - 1) + b"\n"


def test_a_chain_over_the_size_cap_is_never_read(pkis, one_chain_server):
    """Alexa's chain is a few kilobytes; a download is cut at ``CHAIN_MAX_BYTES`` so a huge
    body can't tie up a worker. At the cap the chain is read and trusted; one byte over,
    the request is refused, though the chain in it is good."""
    from skill.web import verify

    mirror, served = one_chain_server
    url = "https://s3.amazonaws.com/echo.api/padded.pem"
    fetch = lambda u: verify.fetch_over_http(u, mirror)  # noqa: E731
    served[0] = padded_to(pkis["good"].chain_pem(), verify.CHAIN_MAX_BYTES)
    assert verify.SigningCertificates([pkis["good"].root], fetch).public_key_for(url)
    served[0] = padded_to(pkis["good"].chain_pem(), verify.CHAIN_MAX_BYTES + 1)
    with pytest.raises(ValueError, match="too large"):
        verify.fetch_over_http(url, mirror)
    with pytest.raises(verify.RequestRejected, match="could not be downloaded"):
        verify.SigningCertificates([pkis["good"].root], fetch).public_key_for(url)


def test_a_cached_chain_is_dropped_when_it_expires(pkis):
    """A chain is downloaded once and kept while it is valid; past its leaf's last day the
    request is refused and the chain forgotten, so a renewed one is downloaded. S3 lives in
    Amazon's cloud: a counting function stands in for the download."""
    from skill.web import verify

    pki = pkis["good"]
    now = [dt.datetime.now(dt.UTC)]
    fetched = []

    def fetch(url):
        fetched.append(url)
        return pki.chain_pem()

    certificates = verify.SigningCertificates([pki.root], fetch, clock=lambda: now[0])
    url = "https://s3.amazonaws.com/echo.api/good.pem"
    assert certificates.public_key_for(url) is not None
    assert certificates.public_key_for(url) is not None
    assert len(fetched) == 1
    now[0] = pki.leaf.not_valid_after_utc + dt.timedelta(seconds=1)
    with pytest.raises(verify.RequestRejected, match="outside its validity dates"):
        certificates.public_key_for(url)
    now[0] = pki.leaf.not_valid_after_utc - dt.timedelta(days=1)
    assert certificates.public_key_for(url) is not None
    assert len(fetched) == 2
