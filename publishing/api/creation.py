"""Posts made from request bodies exactly as `POST /v1/posts` makes them: the same
serializers, then the same service. The API's create, bulk jobs and CSV imports use it."""

import threading

from rest_framework.exceptions import ValidationError

from accounts import selectors as account_selectors
from accounts.models import Workspace
from dravo.errors import error_items
from publishing import services
from publishing.api.serializers import PostCreateSerializer, PostDraftSerializer
from publishing.content import content_for
from publishing.models import Post
from publishing.services import queue as queue_services
from publishing.services import series as series_services
from publishing.services.autoschedule import auto_window

NOT_FOR_DRAFTS = ("draft", "recurrence", "recycle", "queue", "auto_schedule")


# The body serializers, one instance of each per thread: DRF builds every field anew for
# each instance (a sixth of a small create's CPU), and an instance that is only asked to
# run_validation() keeps nothing of one body for the next.
_serializers = threading.local()


def _serializer(kind):
    made = _serializers.__dict__
    return made.get(kind) or made.setdefault(kind, kind())


class PostMaker:
    """Makes posts for one workspace and mode; posts made in a row (a job's) share, after
    `read_accounts`, one read of the accounts they target."""

    def __init__(self, *, workspace: Workspace, mode: str):
        self.workspace, self.mode = workspace, mode
        self.accounts = None

    def read_accounts(self, bodies) -> None:
        """Read once the accounts that `bodies` target, for the posts made next."""
        ids = {
            account_id
            for body in bodies
            if isinstance(body, dict) and isinstance(body.get("account_ids"), list)
            for account_id in body["account_ids"]
            if isinstance(account_id, str)
        }
        self.accounts = account_selectors.social_accounts_usable(workspace=self.workspace, mode=self.mode, ids=ids)

    def make(self, body) -> Post:
        """A post (a draft with `"draft": true`) from `body`. Raises ValidationError (400)
        naming every problem; nothing is stored then."""
        draft = isinstance(body, dict) and body.get("draft") is True
        kind = PostDraftSerializer if draft else PostCreateSerializer
        data = _serializer(kind).run_validation(body)
        if draft:
            data = {k: v for k, v in data.items() if k not in NOT_FOR_DRAFTS}
            return services.post_create_draft(workspace=self.workspace, mode=self.mode, **data)
        data = {k: v for k, v in data.items() if k != "draft"}
        return services.post_create(workspace=self.workspace, mode=self.mode, known_accounts=self.accounts, **data)

    def check(self, body) -> tuple[list[dict], list[dict]]:
        """What `make(body)` would refuse, without storing anything: the error items
        (`{"code", "detail", "attr"}`, empty when it would pass) and, for a post that
        passes, what each account would get (`{"account_id", "provider", "text"}`)."""
        draft = isinstance(body, dict) and body.get("draft") is True
        params = (PostDraftSerializer if draft else PostCreateSerializer)(data=body)
        if not params.is_valid():
            return [], error_dicts(params.errors)
        data = params.validated_data
        if draft:
            return [], []
        checked, problems = services.check_post(
            workspace=self.workspace,
            mode=self.mode,
            account_ids=data["account_ids"],
            text=data["text"],
            media_urls=data["media_urls"],
            platform_options=data["platform_options"],
            known_accounts=self.accounts,
        )
        errors = [{"code": d.code, "detail": str(d), "attr": attr} for attr, ds in problems.errors.items() for d in ds]
        checks = (
            ("recurrence", lambda: series_services.recurrence_check(data["recurrence"])),
            ("queue", lambda: queue_services.queue_free_slots(account_ids=data["account_ids"])),
            ("auto_schedule", lambda: _window_check(data["auto_schedule"])),
        )
        for key, check in checks:
            if data.get(key):
                try:
                    check()
                except ValidationError as exc:
                    errors += error_dicts(exc.detail)
        return ([] if errors or checked is None else _previews(checked, data["text"])), errors


def _window_check(window: dict) -> None:
    auto_window(start=window["from"], end=window["to"], time_zone=window["time_zone"])


def error_dicts(detail) -> list[dict]:
    return [{"code": code, "detail": message, "attr": attr or None} for attr, message, code in error_items(detail)]


def _previews(checked, text: str) -> list[dict]:
    previews = []
    for account in checked.accounts:
        own = account.id if account.id in checked.options else None
        content = content_for(
            text=text, media=checked.media, options=checked.options, provider=account.provider, account_id=own
        )
        previews.append({"account_id": account.id, "provider": account.provider, "text": content.text})
    return previews


def post_create_from_body(*, workspace: Workspace, mode: str, body) -> Post:
    """One post from one body, as POST /v1/posts makes it."""
    return PostMaker(workspace=workspace, mode=mode).make(body)
