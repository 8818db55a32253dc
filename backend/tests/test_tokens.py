"""Tokens as `TokenCodec` reads them: a claim past what a time can hold is an invalid token."""

import jwt
import pytest

from cora.auth.tokens import build_token_codec
from cora.config import Settings
from cora.errors import NotAuthenticated

SECRET = "provider-secret-" + "z" * 40


@pytest.mark.parametrize("expiry", [10**30, 2**62])
def test_an_expiry_no_time_can_hold_is_not_authenticated(tmp_path, expiry) -> None:
    codec = build_token_codec(Settings(data_dir=tmp_path, auth="jwt", jwt_secret=SECRET))
    assert codec is not None
    token = jwt.encode({"sub": "alice", "exp": expiry}, SECRET, algorithm="HS256")
    with pytest.raises(NotAuthenticated):
        codec.verify(token)


def test_a_token_with_a_far_expiry_is_read(tmp_path) -> None:
    codec = build_token_codec(Settings(data_dir=tmp_path, auth="jwt", jwt_secret=SECRET))
    assert codec is not None
    token = jwt.encode({"sub": "alice", "exp": 253402300799}, SECRET, algorithm="HS256")
    principal = codec.verify(token)
    assert principal.user_id == "alice"
    assert principal.expires_at is not None and principal.expires_at.year == 9999
