"""Who is asking: the bearer token's user, and whether the sessions asked for are theirs."""

from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.datastructures import State

from cora.api.deps import SettingsDep, UserIdPath
from cora.auth.tokens import Principal, TokenCodec
from cora.errors import NotAuthenticated, NotYourSession

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


async def get_token_codec(request: Request) -> TokenCodec | None:
    codec: TokenCodec | None = request.app.state.token_codec
    return codec


async def principal_from(token: str | None, state: State) -> Principal | None:
    """The caller a bearer token names; None in auth mode `none`. In mode `local` the token must
    also name an existing account and not be revoked. `NotAuthenticated` otherwise."""
    codec: TokenCodec | None = state.token_codec
    if codec is None:
        return None
    if not token:
        raise NotAuthenticated()
    principal = codec.verify(token)
    if state.settings.auth == "local":
        stores = state.stores
        await state.token_gate.check(principal, stores.revocations, stores.accounts)
    return principal


def bearer_token(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The token of an `Authorization: Bearer` header, as `OAuth2PasswordBearer` reads it."""
    for name, value in headers:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


async def current_principal(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Principal | None:
    """The caller, from `Authorization: Bearer` (`principal_from`)."""
    return await principal_from(token, request.app.state)


async def current_user(
    principal: Annotated[Principal | None, Depends(current_principal)], settings: SettingsDep
) -> Principal:
    if principal is None:
        raise NotAuthenticated(f"Auth mode {settings.auth!r} has no users")
    return principal


async def require_owner(
    user_id: UserIdPath, principal: Annotated[Principal | None, Depends(current_principal)]
) -> None:
    """Every `/sessions/{user_id}` route: the token's user must be `user_id`."""
    if principal is not None and principal.user_id != user_id:
        raise NotYourSession()


CurrentUser = Annotated[Principal, Depends(current_user)]
