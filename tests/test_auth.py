"""Token checks beyond the signature, and the Origin check that websockets and writes use."""

from __future__ import annotations

import pytest

from events.log.store import EventStore
from server import access
from server.auth import Auth, DeviceRevoked, bearer, origin_allowed
from server.tokens import Grant, TokenExpired, TokenRefused

NOW = 1_700_000_000


@pytest.mark.parametrize(
    ("origin", "host", "public_url", "allowed"),
    [
        (None, "192.168.1.20:8000", None, True),  # not a browser: the token decides
        ("http://192.168.1.20:8000", "192.168.1.20:8000", None, True),
        ("http://tablet.test:8123", "tablet.test:8123", None, True),
        ("http://TABLET.test:8123", "tablet.test:8123", None, True),
        ("http://example.org", "example.org:80", None, True),
        ("https://example.org", "example.org", None, True),
        ("http://evil.example", "192.168.1.20:8000", None, False),
        ("http://192.168.1.20:8001", "192.168.1.20:8000", None, False),
        ("null", "192.168.1.20:8000", None, False),
        ("file://", "192.168.1.20:8000", None, False),
        ("https://meet.example.org", "127.0.0.1:8000", "https://meet.example.org", True),
        ("http://meet.example.org", "127.0.0.1:8000", "https://meet.example.org", False),
        ("http://evil.example", None, "https://meet.example.org", False),
    ],
)
def test_origin_allowed(
    origin: str | None, host: str | None, public_url: str | None, allowed: bool
) -> None:
    assert origin_allowed(origin, host, public_url) is allowed


def test_bearer_reads_only_the_bearer_scheme() -> None:
    assert bearer("Bearer abc.def") == "abc.def"
    assert bearer("bearer  abc.def ") == "abc.def"
    assert bearer("Basic abc") is None
    assert bearer(None) is None


@pytest.mark.asyncio
async def test_authenticate_checks_signature_expiry_kind_and_revocation(sqlite_url: str) -> None:
    async with EventStore(sqlite_url) as store:
        auth = Auth(store, b"key", token_days=30, clock=lambda: NOW)
        token, grant = auth.issue("m", "lead")
        assert await auth.authenticate(token) == grant
        assert grant.expires == NOW + 30 * 86_400
        link, _ = auth.issue("m", "staff", kind="signin")
        with pytest.raises(TokenRefused, match="this is a sign-in link"):
            await auth.authenticate(link)
        with pytest.raises(TokenRefused, match="this needs a token"):
            await auth.authenticate(None)
        later = Auth(store, b"key", clock=lambda: NOW + 31 * 86_400)
        with pytest.raises(TokenExpired):
            await later.authenticate(token)
        with pytest.raises(TokenRefused, match="rotated"):
            await Auth(store, b"other key", clock=lambda: NOW).authenticate(token)
        device_token, device = await access.sign_in(auth, link, None)  # a device of "m"
        await access.revoke(auth, "m", device.device_id, grant)
        with pytest.raises(DeviceRevoked, match=r"^this tablet was signed out by the lead") as err:
            await auth.authenticate(device_token)
        assert err.value.code == "device_revoked"
        assert isinstance(err.value, TokenRefused)


def test_a_grant_is_the_lead_engineers_shape() -> None:
    grant = Grant(meeting_id="m", role="facilitator", device_id="d", expires=1, table=2)
    assert grant.kind == "device"
