"""Who is asking: the bearer token's user, and whether the sessions asked for are theirs."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from cora.api.deps import (
    AccountStoreDep,
    RevocationsDep,
    SettingsDep,
    TokenGateDep,
    UserIdPath,
)
from cora.auth.tokens import Principal, TokenCodec
from cora.errors import NotAuthenticated, NotYourSession

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


async def get_token_codec(request: Request) -> TokenCodec | None:
    codec: TokenCodec | None = request.app.state.token_codec
    return codec


async def current_principal(
    token: Annotated[str | None, Depends(oauth2_scheme)],
    codec: Annotated[TokenCodec | None, Depends(get_token_codec)],
    settings: SettingsDep,
    gate: TokenGateDep,
    revocations: RevocationsDep,
    accounts: AccountStoreDep,
) -> Principal | None:
    """The caller, from `Authorization: Bearer`; None in auth mode `none`. In mode `local` the
    token must also name an existing account and not be revoked."""
    if codec is None:
        return None
    if not token:
        raise NotAuthenticated()
    principal = codec.verify(token)
    if settings.auth == "local":
        await gate.check(principal, revocations, accounts)
    return principal


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
