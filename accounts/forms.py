"""Dashboard forms of the accounts app. Shapes are checked by the API's own serializers, so
a person sees the same messages an API caller gets, next to the field they concern."""

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from accounts import services
from accounts.api.serializers import SocialAccountConnectSerializer
from accounts.models import Mode, Provider
from accounts.throttling import client_ip
from dravo.errors import flatten_errors
from providers import registry
from sandbox.core import BEHAVIORS

# The credentials some network needs besides its token (a Page id, an author URN...), each
# one optional field of the BYOK form, labelled by the network's descriptor.
EXTRA_CREDENTIALS = {
    credential.name: credential for network in registry.NETWORKS.values() for credential in network.credentials
}


class LoginForm(AuthenticationForm):
    """Django's login form, with the login budgets of POST /v1/auth/token: every attempt
    counts per username and per address, and one over either budget is refused before the
    password is checked."""

    retry_after: int | None = None

    def clean(self):
        wait = services.login_attempt_spend(username=self.data.get("username", ""), ip=client_ip(self.request))
        if wait is not None:
            self.retry_after = math.ceil(wait)
            raise forms.ValidationError(
                "Too many login attempts. Try again in %(seconds)d seconds.",
                code="throttled",
                params={"seconds": self.retry_after},
            )
        return super().clean()


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The staff admin's login form: the same budgets, then the admin's staff check."""


class ByokForm(forms.Form):
    """Bring your own key: an access token (and the network's ids) the customer already has."""

    provider = forms.ChoiceField(label="Network", choices=Provider.choices)
    platform_account_id = forms.CharField(label="Account id on the network", max_length=200)
    handle = forms.CharField(label="Handle", max_length=200, required=False, help_text="Optional, e.g. @dravo.")
    access_token = forms.CharField(label="Access token", widget=forms.PasswordInput(render_value=False))
    refresh_token = forms.CharField(
        label="Refresh token", required=False, widget=forms.PasswordInput(render_value=False)
    )
    sandbox_behavior = forms.ChoiceField(
        label="Sandbox behaviour",
        choices=[(b, b) for b in BEHAVIORS],
        required=False,
        help_text="Test mode only: how the sandbox answers this account's posts.",
    )

    def __init__(self, *args, mode: str = Mode.TEST, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        self.validated = None
        for name, credential in EXTRA_CREDENTIALS.items():
            self.fields[name] = forms.CharField(label=credential.label, required=False, help_text=credential.help_text)
        tokens = ["provider", "platform_account_id", "handle", "access_token", "refresh_token"]
        self.order_fields([*tokens, *EXTRA_CREDENTIALS])  # the network's ids after the tokens
        if mode != Mode.TEST:
            del self.fields["sandbox_behavior"]

    def _payload(self) -> dict:
        data = self.cleaned_data
        credentials = {"access_token": data["access_token"]}
        if data.get("refresh_token"):
            credentials["refresh_token"] = data["refresh_token"]
        for extra in EXTRA_CREDENTIALS:
            if data.get(extra):
                credentials[extra] = data[extra]
        if data.get("sandbox_behavior"):
            credentials["sandbox"] = {"behavior": data["sandbox_behavior"]}
        payload = {"provider": data["provider"], "platform_account_id": data["platform_account_id"]}
        if data.get("handle"):
            payload["handle"] = data["handle"]
        return {**payload, "credentials": credentials}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        serializer = SocialAccountConnectSerializer(data=self._payload())
        if serializer.is_valid():
            self.validated = serializer.validated_data
        else:
            self.add_service_errors(serializer.errors)
        return cleaned

    def service_arguments(self) -> dict:
        """Keyword arguments for accounts.services.social_account_connect."""
        return dict(self.validated)

    def add_service_errors(self, detail) -> None:
        for attr, message in flatten_errors(detail):
            name = attr.split(".")[-1]
            if attr == "credentials":  # the network refused the token
                name = "access_token"
            self.add_error(name if name in self.fields else None, message)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False, help_text="What uses it, e.g. “CMS plugin”.")
    mode = forms.ChoiceField(
        label="Mode",
        choices=Mode.choices,
        help_text="Test keys reach the sandbox only; live keys publish for real.",
    )
