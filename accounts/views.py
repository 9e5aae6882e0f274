"""The hosted connect flow's pages (not /v1): open a link, then social-auth takes over."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from social_core.actions import do_auth
from social_core.exceptions import AuthCanceled, SocialAuthBaseException
from social_django.utils import load_backend, load_strategy
from social_django.views import complete

from accounts import services
from accounts.models import ConnectLink
from accounts.oauth import BACKENDS, SESSION_LINK, SESSION_MODE


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
    return do_auth(backend)  # a redirect to the network's (or the sandbox's) consent page


@never_cache
def connect_complete(request, backend: str, *args, **kwargs):
    """social-auth's callback, with its failures (state mismatch, denied consent, a
    network error) reported to the customer's redirect_uri or on a page, never a 500."""
    try:
        return complete(request, backend, *args, **kwargs)
    except SocialAuthBaseException as exc:
        link = ConnectLink.objects.filter(pk=request.session.get(SESSION_LINK)).first()
        code = "access_denied" if isinstance(exc, AuthCanceled) else exc.__class__.__name__
        if link is not None:
            services.connect_link_fail(link=link, error=str(exc))
            target = services.redirect_target(link, error=code)
            if target:
                return HttpResponseRedirect(target)
        return render(request, "connect/result.html", {"error": f"The connection failed: {exc}"}, status=400)
