"""The hosted connect flow's pages (not /v1), and the dashboard's account, API key,
workspace and mode pages."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException, ValidationError
from social_core.actions import do_auth
from social_core.exceptions import AuthCanceled, SocialAuthBaseException
from social_django.utils import load_backend, load_strategy
from social_django.views import complete

from accounts import selectors, services
from accounts.forms import ApiKeyForm, ByokForm, LoginForm
from accounts.models import ConnectLink, Membership, Mode, Provider, SocialAccount
from accounts.oauth import BACKENDS, no_oauth_reason
from dravo.errors import DomainError, error_text
from providers import registry
from providers.oauth import SESSION_LINK, SESSION_MODE


@never_cache
def connect_open(request, token: str):
    """Consume a hosted connect link and start the network's consent flow."""
    try:
        link = services.connect_link_open(token=token)
    except services.ConnectLinkInvalid as exc:
        return render(request, "connect/result.html", {"error": str(exc)}, status=410)
    request.session[SESSION_LINK] = link.pk
    request.session[SESSION_MODE] = link.mode
    name = BACKENDS[link.provider].name
    backend = load_backend(load_strategy(request), name, redirect_uri=reverse("social:complete", args=[name]))
    try:
        return do_auth(backend)  # a redirect to the network's (or the sandbox's) consent page
    except SocialAuthBaseException as exc:  # e.g. the link names no usable server for the network
        return _connect_failed(request, link, exc, code=exc.__class__.__name__)


@never_cache
def connect_complete(request, backend: str, *args, **kwargs):
    """social-auth's callback, with its failures (state mismatch, denied consent, a
    network error) reported to the customer's redirect_uri or on a page, never a 500."""
    try:
        return complete(request, backend, *args, **kwargs)
    except SocialAuthBaseException as exc:
        link = ConnectLink.objects.filter(pk=request.session.get(SESSION_LINK)).first()
        code = "access_denied" if isinstance(exc, AuthCanceled) else exc.__class__.__name__
        return _connect_failed(request, link, exc, code=code)


def _connect_failed(request, link: ConnectLink | None, exc: SocialAuthBaseException, *, code: str):
    """Record why the link failed, then send the customer back with `?error=code`, or
    say it on a page when the link has no redirect_uri."""
    reason = auth_error_text(exc)
    if link is not None:
        services.connect_link_fail(link=link, error=reason)
        if target := services.redirect_target(link, error=code):
            return HttpResponseRedirect(target)
    return render(request, "connect/result.html", {"error": f"The connection failed: {reason}"}, status=400)


def auth_error_text(exc: SocialAuthBaseException) -> str:
    """The reason a connect failed: the backend's own words (social-auth keeps them in
    `detail`; its message is a generic sentence), else that sentence."""
    return str(getattr(exc, "detail", "") or "").strip() or str(exc)


# --- Dashboard ---------------------------------------------------------------------------
# Server-rendered pages for people. Each view resolves the user's current workspace and
# mode (kept in the session), calls the same services and selectors as the API, and
# renders a template that only formats.


class LoginView(auth_views.LoginView):
    """The dashboard's login: an attempt over the login budget answers 429 with Retry-After."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


SESSION_WORKSPACE = "dashboard_workspace"
SESSION_DASHBOARD_MODE = "dashboard_mode"
SESSION_DASHBOARD_LINK = "dashboard_connect_link"  # the last Connect started here
KEY_MANAGERS = (Membership.Role.OWNER, Membership.Role.ADMIN)


def dashboard_view(view):
    """Login required; sets request.workspace, request.membership, request.memberships and
    request.mode (test unless switched), so every page is scoped to one workspace and mode.
    Times render in the browser's zone, which dravo.timezones.TimeZoneMiddleware activates
    for this request only (request.tz)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = selectors.membership_for_user(
            user=request.user, workspace_id=request.session.get(SESSION_WORKSPACE)
        ) or selectors.membership_for_user(user=request.user)
        if membership is None:
            return render(request, "dashboard/no_workspace.html", status=403)
        request.membership, request.workspace = membership, membership.workspace
        request.memberships = selectors.membership_list(user=request.user)
        request.mode = request.session.get(SESSION_DASHBOARD_MODE, Mode.TEST)
        return view(request, *args, **kwargs)

    return wrapper


def _back(request, default: str):
    target = request.POST.get("next") or request.GET.get("next") or ""
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


def _problem_text(exc: APIException | DomainError) -> str:
    return error_text(exc)


@require_POST
@dashboard_view
def workspace_switch(request):
    membership = selectors.membership_for_user(user=request.user, workspace_id=request.POST.get("workspace"))
    if membership is None:
        messages.error(request, "You are not a member of that workspace.")
    else:
        request.session[SESSION_WORKSPACE] = membership.workspace_id
        messages.success(request, f"Switched to workspace {membership.workspace.name}.")
    return _back(request, "home")


@require_POST
@dashboard_view
def mode_switch(request):
    mode = request.POST.get("mode")
    if mode in Mode.values:
        request.session[SESSION_DASHBOARD_MODE] = mode
        messages.success(request, f"You are now in {mode} mode.")
    return _back(request, "home")


def _accounts_context(request, byok_form=None):
    accounts = selectors.social_account_list(workspace=request.workspace, mode=request.mode).order_by(
        "provider", "-created_at"
    )
    live = request.mode == "live"
    for account in accounts:  # what its Reconnect asks first, as its network's Connect does
        account.connect_params = registry.network(account.provider).connect_params if live else ()
    return {
        "accounts": [a for a in accounts if a.health != SocialAccount.Health.DISCONNECTED],
        "disconnected": [a for a in accounts if a.health == SocialAccount.Health.DISCONNECTED],
        "providers": Provider.choices,
        # Networks with a hosted (OAuth) connect; the others connect with the form below.
        "hosted": set(BACKENDS),
        # The Connect buttons: (network, label, what a live connect asks first).
        "connectors": [
            (key, label, registry.network(key).connect_params if live else ())
            for key, label in Provider.choices
            if key in BACKENDS
        ],
        "byok_form": byok_form or ByokForm(mode=request.mode),
        "now": timezone.now(),
    }


@dashboard_view
def accounts_page(request):
    if request.method == "POST":
        form = ByokForm(request.POST, mode=request.mode)
        if form.is_valid():
            try:
                account, created = services.social_account_connect(
                    workspace=request.workspace, mode=request.mode, **form.service_arguments()
                )
            except ValidationError as exc:
                form.add_service_errors(exc.detail)
            except (APIException, DomainError) as exc:
                form.add_error(None, _problem_text(exc))
            else:
                verb = "Connected" if created else "Updated"
                messages.success(request, f"{verb} {account.get_provider_display()} account {account.handle}.")
                return redirect("accounts")
        return render(request, "dashboard/accounts.html", _accounts_context(request, form), status=400)
    return render(request, "dashboard/accounts.html", _accounts_context(request))


@require_POST
@dashboard_view
def account_connect(request, provider: str):
    """Start the OAuth flow (the sandbox's consent page in test mode); it comes back to
    `account_connected` with `account_id` or `error`."""
    if provider not in Provider.values:
        messages.error(request, f"Unknown network {provider}.")
        return redirect("accounts")
    if reason := no_oauth_reason(provider):
        messages.error(request, reason)
        return redirect("accounts")
    params = {}
    if request.mode == "live":
        for param in registry.network(provider).connect_params:
            if not (value := request.POST.get(param.name, "").strip()):
                messages.error(request, f"{param.label}: enter it to connect a {Provider(provider).label} account.")
                return redirect("accounts")
            params[param.name] = value
    link, url = services.connect_link_create(
        workspace=request.workspace,
        mode=request.mode,
        provider=provider,
        redirect_uri=request.build_absolute_uri(reverse("account-connected")),
    )
    request.session[SESSION_DASHBOARD_LINK] = link.pk  # so the return page can say why it failed
    return HttpResponseRedirect(f"{url}?{urlencode(params)}" if params else url)


@dashboard_view
def account_connected(request):
    error = request.GET.get("error")
    account = None
    if request.GET.get("account_id"):
        account = (
            selectors.social_account_list(workspace=request.workspace, mode=request.mode)
            .filter(pk=request.GET["account_id"])
            .first()
        )
    if error or account is None:
        reason = "you declined the consent" if error == "access_denied" else (error or "no account was granted")
        link_id = request.session.pop(SESSION_DASHBOARD_LINK, None)
        failed = ConnectLink.objects.filter(pk=link_id, workspace=request.workspace).exclude(error="").first()
        if failed is not None and error != "access_denied":
            reason = failed.error
        messages.error(request, f"The connection did not complete: {reason}.")
    else:
        messages.success(request, f"Connected {account.get_provider_display()} account {account.handle}.")
    return redirect("accounts")


def _account(request, account_id: str) -> SocialAccount:
    return get_object_or_404(
        selectors.social_account_list(workspace=request.workspace, mode=request.mode), pk=account_id
    )


@require_POST
@dashboard_view
def account_refresh(request, account_id: str):
    account = _account(request, account_id)
    try:
        services.social_account_refresh(account_id=account.id, wait=5.0)
    except (APIException, DomainError) as exc:
        messages.error(request, f"Refreshing {account.handle} failed: {_problem_text(exc)}")
    else:
        messages.success(request, f"Refreshed the token of {account.handle}.")
    return redirect("accounts")


@require_POST
@dashboard_view
def account_disconnect(request, account_id: str):
    account = services.social_account_disconnect(account=_account(request, account_id))
    messages.success(request, f"Disconnected {account.handle}; its credentials were erased.")
    return redirect("accounts")


def _keys_context(request, form=None, created_key=None):
    return {
        "keys": selectors.api_key_list(workspace=request.workspace),
        "form": form or ApiKeyForm(initial={"mode": request.mode}),
        "created_key": created_key,
        "can_manage": request.membership.role in KEY_MANAGERS,
    }


@dashboard_view
def api_keys_page(request):
    if request.method != "POST":
        return render(request, "dashboard/api_keys.html", _keys_context(request))
    if request.membership.role not in KEY_MANAGERS:
        messages.error(request, "Only owners and admins of the workspace can manage API keys.")
        return redirect("api-keys")
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return render(request, "dashboard/api_keys.html", _keys_context(request, form), status=400)
    key, raw = services.api_key_create(workspace=request.workspace, **form.cleaned_data)
    # Shown in this response only: the raw key is never stored nor retrievable again.
    response = render(request, "dashboard/api_keys.html", _keys_context(request, created_key={"row": key, "raw": raw}))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@dashboard_view
def api_key_revoke(request, key_id: str):
    if request.membership.role not in KEY_MANAGERS:
        messages.error(request, "Only owners and admins of the workspace can manage API keys.")
        return redirect("api-keys")
    key = get_object_or_404(selectors.api_key_list(workspace=request.workspace), pk=key_id)
    services.api_key_revoke(api_key=key)
    messages.success(request, f"Revoked {key.display_prefix}….")
    return redirect("api-keys")
