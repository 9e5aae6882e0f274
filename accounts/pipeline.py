"""The social-auth pipeline of the connect flow: store what the consent granted in the
workspace that started the flow, then send the user to the customer's redirect_uri.
It never logs anyone into Dravo: the step answers with a redirect, which ends the flow."""

from django.http import HttpResponseRedirect
from django.shortcuts import render

from accounts import services
from accounts.models import ConnectLink
from providers.oauth import SESSION_LINK


def store_grants(backend, response, request=None, *args, **kwargs):
    link = ConnectLink.objects.filter(pk=backend.strategy.session_get(SESSION_LINK)).first()
    if link is None or link.completed_at is not None:
        return render(request, "connect/result.html", {"error": "This connect session has expired."}, status=400)
    grants = response.get("grants") or []
    if not grants:
        services.connect_link_fail(link=link, error="The consent granted no account Dravo can publish to.")
        return _finish(request, link, error="no_accounts")
    accounts = services.connect_link_complete(link=link, grants=grants)
    backend.strategy.session_set(SESSION_LINK, None)
    return _finish(request, link, accounts=accounts)


def _finish(request, link, *, accounts=(), error=None):
    params = {"error": error} if error else {"account_id": accounts[0].pk}
    if len(accounts) > 1:
        params["account_ids"] = ",".join(a.pk for a in accounts)
    target = services.redirect_target(link, **params)
    if target:
        return HttpResponseRedirect(target)
    return render(
        request,
        "connect/result.html",
        {"accounts": accounts, "error": error, "link": link},
        status=400 if error else 200,
    )
