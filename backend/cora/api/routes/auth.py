"""Accounts (contract section 4): register, log in with the OAuth2 password flow, log out,
change the password, erase the account, who am I."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from cora.api.deps import (
    AccountStoreDep,
    EventBusDep,
    LoginThrottleDep,
    RevocationsDep,
    SettingsDep,
    StoreDep,
    TokenGateDep,
)
from cora.api.json_route import StrictJsonRoute
from cora.api.openapi import error_responses
from cora.api.security import CurrentUser, get_token_codec
from cora.auth.tokens import TokenCodec
from cora.errors import NotAuthenticated
from cora.schemas import (
    AccountDeletion,
    AccountPublic,
    PasswordChange,
    RegisterRequest,
    TokenResponse,
)
from cora.services.accounts import AccountService, AccountStorage, Policy

router = APIRouter(prefix="/auth", tags=["accounts"], route_class=StrictJsonRoute)
me_router = APIRouter(prefix="/auth", tags=["accounts"], route_class=StrictJsonRoute)


async def get_account_service(
    accounts: AccountStoreDep,
    throttle: LoginThrottleDep,
    revocations: RevocationsDep,
    sessions: StoreDep,
    events: EventBusDep,
    gate: TokenGateDep,
    codec: Annotated[TokenCodec | None, Depends(get_token_codec)],
    settings: SettingsDep,
) -> AccountService:
    assert codec is not None
    policy = Policy(
        max_failures=settings.login_attempts,
        window=timedelta(minutes=settings.login_window_minutes),
        registrations_per_hour=settings.registrations_per_hour,
    )
    storage = AccountStorage(accounts, throttle, revocations, sessions, events)
    return AccountService(storage, codec, gate, policy)


AccountServiceDep = Annotated[AccountService, Depends(get_account_service)]


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountPublic,
    responses=error_responses(409, 422, 429, 503, 507),
)
async def register(
    body: RegisterRequest, service: AccountServiceDep, request: Request
) -> AccountPublic:
    """Create an account; the username is unique without regard to case."""
    address = request.client.host if request.client else None
    account = await service.register(
        username=body.username, password=body.password, address=address
    )
    return AccountPublic(user_id=account.user_id, username=account.username)


@router.post(
    "/token",
    response_model=TokenResponse,
    responses=error_responses(401, 429, 503),
)
async def log_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], service: AccountServiceDep
) -> TokenResponse:
    """Exchange a username and password (an OAuth2 password form) for a bearer token."""
    account, token = await service.log_in(username=form.username, password=form.password)
    return TokenResponse(access_token=token, user_id=account.user_id)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 503),
)
async def log_out(principal: CurrentUser, service: AccountServiceDep) -> Response:
    """End the token this request carries, on every worker and server."""
    await service.log_out(principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 403, 422, 429, 503, 507),
)
async def change_password(
    body: PasswordChange, principal: CurrentUser, service: AccountServiceDep
) -> Response:
    """Change the password; every token issued before (this one too) stops working."""
    await service.change_password(principal, current=body.current_password, new=body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 403, 422, 429, 503, 507),
)
async def delete_account(
    body: AccountDeletion, principal: CurrentUser, service: AccountServiceDep
) -> Response:
    """Erase the account, every one of its sessions and its tokens; the name becomes free."""
    await service.delete_account(principal, password=body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@me_router.get("/me", response_model=AccountPublic, responses=error_responses(401, 503))
async def me(principal: CurrentUser, accounts: AccountStoreDep, request: Request) -> AccountPublic:
    """The account the token belongs to."""
    if request.app.state.settings.auth == "jwt":
        return AccountPublic(
            user_id=principal.user_id, username=principal.username or principal.user_id
        )
    account = await accounts.find_by_id(user_id=principal.user_id)
    if account is None:
        raise NotAuthenticated("The token's account no longer exists")
    return AccountPublic(user_id=account.user_id, username=account.username)
