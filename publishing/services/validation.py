"""Every check a post passes before anything is stored or queued (the README's
"Posts and delivery"), including each targeted network's own `validate()` problems."""

import json
import re
from dataclasses import dataclass, field

from rest_framework.exceptions import ErrorDetail, ValidationError

from accounts import selectors as account_selectors
from accounts.models import SocialAccount, Workspace
from dravo.errors import error_items
from providers import registry
from providers.base import Media
from publishing.content import content_for, dravo_media, media_for, media_from_url
from publishing.media_serve import media_id_in

MEDIA_FIELD = re.compile(r"^media_urls\.(\d+)")


@dataclass
class Checked:
    """A post that passed: its accounts in request order, normalized options and media."""

    accounts: list[SocialAccount]
    options: dict
    media: tuple[Media, ...]
    providers: list[str]


@dataclass
class Problems:
    """Messages by field, named as drf-standardized-errors names a serializer's fields:
    dotted, a list item by its index (`account_ids.2`, `media_urls.0`,
    `platform_options.x.thread.1`), so a shape error and a domain error on the same item
    carry the same `attr`."""

    errors: dict[str, list[ErrorDetail]] = field(default_factory=dict)

    def add(self, attr: str, message: str, code: str = "invalid") -> None:
        self.errors.setdefault(attr, []).append(ErrorDetail(message, code=code))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _resolve_accounts(workspace: Workspace, mode: str, account_ids: list[str], problems: Problems, known=None):
    if known is None:
        known = account_selectors.social_accounts_usable(workspace=workspace, mode=mode, ids=account_ids)
    found = known
    accounts = []
    for index, account_id in enumerate(account_ids):
        account = found.get(account_id)
        if account is None:
            problems.add(f"account_ids.{index}", f"Unknown account {account_id}.", "unknown_account")
        elif not account.is_usable:
            problems.add(
                f"account_ids.{index}",
                f"Account {account_id} is {account.health}; reconnect it before publishing.",
                "account_not_usable",
            )
        else:
            accounts.append(account)
    return accounts


def _check_options(platform_options: dict, accounts: list[SocialAccount], problems: Problems) -> dict:
    """The options by network, then each account's own (keyed by its id) checked merged
    over its network's, so a required option may come from either."""
    providers = {a.provider for a in accounts}
    by_id = {a.id: a for a in accounts}
    normalized = {}
    for root, value in sorted(platform_options.items(), key=lambda item: item[0] in by_id):
        attr = f"platform_options.{root}"
        if root in by_id:
            provider = by_id[root].provider
            if provider in platform_options and provider not in normalized:
                continue  # its network's options are already wrong
            data = {**normalized.get(provider, {}), **value}
        elif root not in registry.CLIENTS:
            problems.add(
                attr,
                f"Unknown platform '{root}'. Accepted: {', '.join(registry.PROVIDERS)}, "
                "or the id of a targeted account for options of that account only.",
                "unknown_platform",
            )
            continue
        elif root not in providers:
            problems.add(attr, f"No targeted account is on {root}.", "platform_not_targeted")
            continue
        else:
            provider, data = root, value
        serializer = registry.CLIENTS[provider].options_serializer(data=data)
        if not serializer.is_valid():
            for where, message, code in error_items(serializer.errors, attr):
                problems.add(where, message, code)
            continue
        checked = json.loads(json.dumps(serializer.validated_data, default=str))
        # An account keeps only its own options; its network's are merged at delivery.
        normalized[root] = {k: v for k, v in checked.items() if k in value} if root in by_id else checked
    return normalized


def _resolve_media(workspace: Workspace, mode: str, media_urls: list[str], problems: Problems) -> tuple[Media, ...]:
    """Dravo media URLs become their inspected metadata; foreign URLs are known by their
    extension only (they are ingested before delivery)."""
    rows = dravo_media(workspace=workspace, mode=mode, urls=media_urls)
    media = []
    for index, url in enumerate(media_urls):
        media_id = media_id_in(url)
        if media_id and media_id not in rows:
            problems.add(f"media_urls.{index}", f"No media {media_id} in this workspace.", "unknown_media")
        media.append(media_for(rows[media_id]) if media_id in rows else media_from_url(url))
    return tuple(media)


def _describe(problem_field: str, media_urls: list[str]) -> str:
    """`med_… ` or the URL, for a problem on one media, so the message names it."""
    match = MEDIA_FIELD.match(problem_field)
    if not match or int(match[1]) >= len(media_urls):
        return ""
    url = media_urls[int(match[1])]
    return f"{media_id_in(url) or url}: "


def _network_problems(client, content, accounts: list[SocialAccount]) -> dict:
    """Each problem the network has with `content`, with the accounts it applies to. A
    network whose limits are each account's own (its `validator(metadata)`) is asked
    once per account; the others once for all. validate() needs no credentials nor I/O."""
    if not hasattr(client, "validator"):
        return {problem: accounts for problem in client({}, endpoints={}).validate(content)}
    metadata = _metadata_of(accounts)
    found: dict = {}
    for account in accounts:
        for problem in client.validator(metadata.get(account.pk) or {}).validate(content):
            found.setdefault(problem, []).append(account)
    return found


def _metadata_of(accounts: list[SocialAccount]) -> dict:
    """Each account's metadata, read in one query for those loaded without it (the
    create path reads only what every network's checks need)."""
    metadata = {a.pk: a.metadata for a in accounts if "metadata" not in a.get_deferred_fields()}
    deferred = [a.pk for a in accounts if a.pk not in metadata]
    if deferred:
        metadata.update(account_selectors.social_account_metadata(ids=deferred))
    return metadata


def _option_attr(problem_field: str, options: dict, provider: str, account_id: str | None) -> str:
    """Where a network's problem belongs: a problem with the text names the override the
    caller wrote, and one with an option the account's own options when they hold it."""
    if problem_field == "text":
        for root in (account_id, provider):
            if root and (options.get(root) or {}).get("text"):
                return f"platform_options.{root}.text"
        return "text"
    prefix = f"platform_options.{provider}."
    if account_id and problem_field.startswith(prefix):
        option = problem_field[len(prefix) :].split(".")[0]
        if option in (options.get(account_id) or {}) or option not in (options.get(provider) or {}):
            return f"platform_options.{account_id}.{problem_field[len(prefix) :]}"
    return problem_field


def _problem_places(problem_field: str, options: dict, provider: str, own: str | None, failing: list):
    """(attr, accounts) of one network problem: where _option_attr puts it, except that a
    destination left unset (a board, a playlist: each account has its own) is named on
    each account's own option, where the caller must set it."""
    kind = registry.network(provider).destinations
    unset = f"platform_options.{provider}.{kind.option}" if kind and not own else None
    if problem_field == unset and kind.option not in (options.get(provider) or {}):
        return [(f"platform_options.{account.id}.{kind.option}", account.id) for account in failing]
    return [(_option_attr(problem_field, options, provider, own), ", ".join(a.id for a in failing))]


def check_post(
    *,
    workspace: Workspace,
    mode: str,
    account_ids: list[str],
    text: str,
    media_urls: list[str],
    platform_options: dict,
    known_accounts: dict[str, SocialAccount] | None = None,
) -> tuple[Checked | None, Problems]:
    """Run every check; returns what passed and the problems (empty when valid). No writes.
    `known_accounts`: the workspace's accounts by id as social_accounts_usable reads them,
    when the caller read them already for many posts (a job)."""
    problems = Problems()
    platform_options = platform_options or {}
    accounts = _resolve_accounts(workspace, mode, account_ids, problems, known_accounts)
    providers = sorted({a.provider for a in accounts})
    options = _check_options(platform_options, accounts, problems)
    media = _resolve_media(workspace, mode, media_urls, problems)
    for provider in providers:
        if provider in platform_options and provider not in options:
            continue  # its options are already wrong; network checks would only repeat that
        # Accounts with options of their own are checked apart from the rest of their network.
        groups: dict[str, list[SocialAccount]] = {}
        for account in accounts:
            if account.provider != provider or (account.id in platform_options and account.id not in options):
                continue
            groups.setdefault(account.id if account.id in options else provider, []).append(account)
        for root, targeted in groups.items():
            own = root if root != provider else None
            content = content_for(text=text, media=media, options=options, provider=provider, account_id=own)
            for problem, failing in _network_problems(registry.CLIENTS[provider], content, targeted).items():
                label = _describe(problem.field, media_urls)
                for attr, who in _problem_places(problem.field, options, provider, own, failing):
                    problems.add(attr, f"{provider} ({who}): {label}{problem.message}", problem.code)
    checked = Checked(accounts=accounts, options=options, media=media, providers=providers)
    return (None if problems.errors else checked), problems
