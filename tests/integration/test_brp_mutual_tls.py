"""Mutual TLS to the BRP: the client certificate and key from the parameters are presented, the
server's CA comes from the CA bundle parameter, and a refused handshake is misconfiguration."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from verwijsindex.adapters.brp.haal_centraal import HaalCentraalPersonRegistry
from verwijsindex.adapters.brp.http import ApiKeyAuth, BrpHttp, ClientCertificate, pool
from verwijsindex.ports.person_registry import RegistryMisconfigured

CHILD = "999990147"
PERSON = {
    "burgerservicenummer": CHILD,
    "naam": {"volledigeNaam": "Sem de Vries"},
    "geboorte": {"datum": {"type": "Datum", "datum": "2009-08-30"}},
    "geslacht": {"code": "M"},
}


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _certificate(
    name: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
    usage: x509.ObjectIdentifier | None = None,
) -> x509.Certificate:
    now = datetime.now(UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer[0].subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if usage == ExtendedKeyUsageOID.SERVER_AUTH:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
    return builder.sign(issuer[1] if issuer else key, hashes.SHA256())


def _text(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        peer = self.connection.getpeercert()
        subject = dict(item[0] for item in peer["subject"]) if peer else {}
        self.server.seen.append(subject.get("commonName", ""))  # type: ignore[attr-defined]
        data = json.dumps({"personen": [PERSON]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    ca_key, client_key, server_key = _key(), _key(), _key()
    ca = _certificate("Test CA", ca_key, None)
    client = _certificate("verwijsindex-test", client_key, (ca, ca_key), ExtendedKeyUsageOID.CLIENT_AUTH)
    server = _certificate("localhost", server_key, (ca, ca_key), ExtendedKeyUsageOID.SERVER_AUTH)
    folder = tmp_path_factory.mktemp("pki")
    (folder / "server.pem").write_text(_text(server) + _pem(server_key))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(Path(folder / "server.pem"))
    context.load_verify_locations(cadata=_text(ca))
    context.verify_mode = ssl.CERT_REQUIRED  # no client certificate, no connection
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.seen = []  # type: ignore[attr-defined]
    httpd.daemon_threads = True
    httpd.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield {
            "url": f"https://localhost:{httpd.server_port}/haalcentraal/api/brp",
            "ca": _text(ca),
            "certificate": _text(client),
            "key": _pem(client_key),
            "seen": httpd.seen,  # type: ignore[attr-defined]
        }
    finally:
        httpd.shutdown()
        httpd.server_close()


def _registry(pki: dict[str, Any], certificate: ClientCertificate | None) -> HaalCentraalPersonRegistry:
    http = BrpHttp(auth=ApiKeyAuth("unused"), http=pool(certificate), budget_seconds=2.0, backoff_seconds=0.01)
    return HaalCentraalPersonRegistry(pki["url"], http)


def test_the_client_certificate_is_presented_and_the_server_checked_against_the_bundle(pki: dict[str, Any]) -> None:
    certificate = ClientCertificate(certificate_pem=pki["certificate"], key_pem=pki["key"], ca_bundle_pem=pki["ca"])
    youth = _registry(pki, certificate).lookup(CHILD)
    assert youth is not None and youth.name == "Sem de Vries"
    assert pki["seen"][-1] == "verwijsindex-test"


def test_without_a_client_certificate_the_handshake_fails_as_misconfiguration(pki: dict[str, Any]) -> None:
    with pytest.raises(RegistryMisconfigured, match="TLS"):
        _registry(pki, None).lookup(CHILD)  # nor does it trust the test CA


def test_a_key_that_does_not_fit_the_certificate_is_misconfiguration(pki: dict[str, Any]) -> None:
    with pytest.raises(RegistryMisconfigured, match="client certificate cannot be loaded"):
        pool(ClientCertificate(certificate_pem=pki["certificate"], key_pem=_pem(_key()), ca_bundle_pem=pki["ca"]))


def test_a_certificate_the_brp_does_not_trust_is_misconfiguration(pki: dict[str, Any]) -> None:
    stranger_key, client_key = _key(), _key()
    stranger = _certificate("Other CA", stranger_key, None)
    client = _certificate("verwijsindex-test", client_key, (stranger, stranger_key), ExtendedKeyUsageOID.CLIENT_AUTH)
    certificate = ClientCertificate(certificate_pem=_text(client), key_pem=_pem(client_key), ca_bundle_pem=pki["ca"])
    with pytest.raises(RegistryMisconfigured, match="TLS"):
        _registry(pki, certificate).lookup(CHILD)
