"""Accounts (contract section 4): register, log in with the OAuth2 password flow, who am I."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from cora.api.deps import AccountStoreDep, LoginThrottleDep, SettingsDep
from cora.api.openapi import error_responses
from cora.api.security import CurrentUser, get_token_codec
from cora.auth.tokens import TokenCodec
from cora.errors import NotAuthenticated
from cora.schemas import AccountPublic, RegisterRequest, TokenResponse
from cora.services.accounts import AccountService

router = APIRouter(prefix="/auth", tags=["accounts"])
me_router = APIRouter(prefix="/auth", tags=["accounts"])


async def get_account_service(
    accounts: AccountStoreDep,
    throttle: LoginThrottleDep,
    codec: Annotated[TokenCodec | None, Depends(get_token_codec)],
    settings: SettingsDep,
) -> AccountService:
    assert codec is not None
    return AccountService(
        accounts,
        throttle,
        codec,
        max_failures=settings.login_attempts,
        window=timedelta(minutes=settings.login_window_minutes),
    )


AccountServiceDep = Annotated[AccountService, Depends(get_account_service)]


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountPublic,
    responses=error_responses(409, 422, 429, 503, 507),
)
async def register(body: RegisterRequest, service: AccountServiceDep) -> AccountPublic:
    """Create an account; the username is unique without regard to case."""
    account = await service.register(username=body.username, password=body.password)
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
