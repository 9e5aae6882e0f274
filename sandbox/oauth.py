"""What every sandbox network with OAuth shares: one consent page, authorization codes
that work once, and one token issuer (access tokens, refresh tokens that rotate).

Each network keeps its own endpoints, parameter names and error shapes (the client is
tested against them); these functions do the common work behind them.
"""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from sandbox import core

CODE_LIFETIME_S = 600


def with_query(url: str, **params) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def authorize_refusal(
    params,
    *,
    unknown_client: str = "<p>Unknown client_id.</p>",
    client_status: int = 400,
    bad_request: str = "<p>response_type=code and a redirect_uri are required.</p>",
):
    """The authorization endpoint's answer to a request it cannot take (another app's
    client_id, no `response_type=code` or no http(s) redirect_uri), in the network's own
    words; None for a request the consent page may show."""
    if params.get("client_id") != settings.SANDBOX_APP["client_id"]:
        return HttpResponse(unknown_client, status=client_status)
    if params.get("response_type") != "code" or not params.get("redirect_uri", "").startswith(("http://", "https://")):
        return HttpResponse(bad_request, status=400)
    return None


def consent_page(request, *, network: str, params, client_id: str, scopes, keep=(), signed_in_as: str = "", inputs=()):
    """The consent page of `network` (its label): the scopes asked for, and Allow / Deny
    buttons posting back the request's `keep` parameters and the page's own `inputs`
    ((name, label, default) fields the person fills in, e.g. which sandbox user signs in)."""
    context = {
        "inputs": list(inputs),
        "network": network,
        "app": "Dravo",
        "client_id": client_id,
        "scopes": [scope for scope in scopes if scope],
        "hidden": [(name, params[name]) for name in keep if name in params],
        "signed_in_as": signed_in_as,
    }
    return render(request, "sandbox/consent.html", context)


def consent_decision(
    network: str, params, *, redirect_uri: str, state: str = "", owner: str = "", denied: dict | None = None, **data
):
    """The answer to the consent page's form: Deny goes back with `error=access_denied`
    (plus the network's own `denied` fields); Allow with a new code that remembers
    `redirect_uri`, `owner` and `data` (scope, PKCE challenge...)."""
    if params.get("decision") != "allow":
        query = {"error": "access_denied", **(denied or {})}
        return HttpResponseRedirect(with_query(redirect_uri, **query, **({"state": state} if state else {})))
    code = issue_code(network, redirect_uri=redirect_uri, owner=owner, **data)
    return HttpResponseRedirect(with_query(redirect_uri, code=code, **({"state": state} if state else {})))


def issue_code(network: str, *, redirect_uri: str, owner: str = "", **data) -> str:
    code = "sbx_" + secrets.token_urlsafe(24)
    core.record_create(network, "code", code, owner=owner, status="issued", redirect_uri=redirect_uri, **data)
    return code


def redeem_code(network: str, code: str, *, redirect_uri: str | None, lifetime_s: int = CODE_LIFETIME_S):
    """(record, "") for a code issued by the consent page, unused, young enough and sent
    back with the same redirect_uri (None: not checked); else (None, why: "invalid",
    "used", "expired" or "redirect_uri"). A code works once, whatever follows."""
    record = core.record_get(network, "code", code) if code else None
    if record is None:
        return None, "invalid"
    if record.status != "issued":
        return None, "used"
    record.status = "used"
    record.save(update_fields=["status", "updated_at"])
    if (timezone.now() - record.created_at).total_seconds() > lifetime_s:
        return None, "expired"
    if redirect_uri is not None and record.data.get("redirect_uri") != redirect_uri:
        return None, "redirect_uri"
    return record, ""


def issue_tokens(network: str, owner: str, *, lifetime_s: int | None, refresh: bool = True, prefix="sbx_", **data):
    """A new access token of `owner` (recorded with `data`, e.g. its scope) and, when
    `refresh`, a refresh token: {"access_token", "expires_in", "refresh_token"}, the
    network's answer wording them as it does."""
    access = prefix + secrets.token_urlsafe(24)
    core.record_create(network, "token", access, owner=owner, **data)
    tokens = {"access_token": access, "expires_in": lifetime_s}
    if refresh:
        tokens["refresh_token"] = prefix + "r_" + secrets.token_urlsafe(24)
        core.record_create(network, "refresh", tokens["refresh_token"], owner=owner, **data)
    return tokens


def use_refresh_token(network: str, refresh_token: str, request, *, adopt: dict | None = None):
    """The record of a refresh token, used up now (refresh tokens rotate), or None for one
    refused, unknown or already used. A token the sandbox never saw is adopted as the
    account the sandbox session names (or `adopt`'s owner), with `adopt`'s data, when
    `adopt` is given: test-mode accounts connected with their own tokens."""
    if core.is_refused_token(refresh_token):
        return None
    record = core.record_get(network, "refresh", refresh_token)
    if record is None and adopt is not None:
        owner = core.claimed_account(request) or adopt.get("owner", "")
        data = {key: value for key, value in adopt.items() if key != "owner"}
        record = core.record_create(network, "refresh", refresh_token, owner=owner, **data)
    if record is None or record.status == "used":
        return None
    record.status = "used"
    record.save(update_fields=["status", "updated_at"])
    return record
