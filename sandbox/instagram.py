"""Sandbox Instagram: the subset of the Graph API (Facebook and Instagram Login) that
`providers.instagram.client` uses, mounted at /sandbox/instagram/ in place of every Instagram host.

It keeps containers, media, comments, codes and tokens as SandboxRecord rows and enforces
the rules of Instagram's Content Publishing API: a container reads IN_PROGRESS once, then
FINISHED (or ERROR for unfetchable media); media_publish before FINISHED answers
9007/2207027; containers expire after 24 h; carousels take 2–10 carousel items; Reels need a
video; the 24 h publishing quota answers 9/2207042; a published container reads PUBLISHED.
"""

import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import path, re_path, reverse
from django.utils import timezone

from sandbox import oauth
from sandbox.core import (
    REJECT_REASON,
    PageMedia,
    account_id_for,
    account_metrics,
    claimed_account,
    first_attempt,
    grown_metrics,
    is_refused_token,
    numeric_id,
    post_page,
    record_create,
    record_get,
    record_list,
    sandbox_view,
    token_binding,
)
from sandbox.files import SAMPLES
from sandbox.graph import (
    bad_param,
    container_status,
    expired_token,
    graph_error,
    graph_view,
    invalid_token,
    not_found,
    params_of,
)

NETWORK = "instagram"
QUOTA_TOTAL = 50  # content_publishing_limit.config.quota_total; tests may lower it
DAY = timedelta(hours=24)
CAROUSEL_MIN, CAROUSEL_MAX = 2, 10
CAPTION_LIMIT, HASHTAG_LIMIT = 2200, 30
LONG_LIVED_S, SHORT_LIVED_S = 5_183_944, 3600
FB_SCOPES = "instagram_basic,instagram_content_publish,pages_read_engagement,pages_show_list"
IG_SCOPES = "instagram_business_basic,instagram_business_content_publish"
METRIC_RATES = {"views": 40, "reach": 30, "likes": 6, "comments": 2, "shares": 1, "saved": 1}
IG_USER_PREFIX = "17841"  # IG user ids look like 17841405822304914
# The IG user's own numbers: node counts and last-day insights totals, as the client reads them.
USER_RATES = {"followers_count": 2400, "follows_count": 180}
USER_INSIGHT_RATES = {"reach": 650, "accounts_engaged": 48, "total_interactions": 75}
LIVE_METRICS = {*METRIC_RATES, "total_interactions", "profile_visits", "follows", "replies", "navigation"}
NOT_FOR_STORIES = {"likes", "comments", "saved"}


# --- answers -------------------------------------------------------------------------------
def ig_oauth_error(message, status=400):
    """api.instagram.com's own error shape."""
    return JsonResponse({"error_type": "OAuthException", "code": status, "error_message": message}, status=status)


# --- identities and tokens ------------------------------------------------------------------
def identity(token: str) -> dict:
    record = record_get(NETWORK, "token", token)
    if record:
        return record.data
    return {
        "ig_user_id": IG_USER_PREFIX + account_id_for("ig:" + token, 12),
        "page_id": account_id_for("page:" + token, 15),
        "user_id": account_id_for("user:" + token, 15),
    }


def bound_identity(request) -> dict:
    """identity() of the request's token, once bound to the IG user a connect's verify()
    names (a token the sandbox never saw is taken as that user's)."""
    claimed = claimed_account(request)
    if claimed:
        token_binding(NETWORK, request.token, request, **{**identity(request.token), "ig_user_id": claimed})
    return identity(request.token)


def username_for(ig_user_id: str) -> str:
    return f"sandbox_{ig_user_id[-6:]}"


def issue_token(ident: dict, prefix: str = "sbx_") -> str:
    token = prefix + secrets.token_urlsafe(24)
    record_create(NETWORK, "token", token, owner=ident["ig_user_id"], **ident)
    return token


def token_answer(ident: dict, expires_in: int = LONG_LIVED_S) -> JsonResponse:
    return JsonResponse({"access_token": issue_token(ident), "token_type": "bearer", "expires_in": expires_in})


# --- OAuth: consent pages --------------------------------------------------------------------
def consent(request, login: str):
    values = params_of(request)
    if values.get("client_id") != settings.SANDBOX_APP["client_id"]:
        return HttpResponse("Invalid App ID: the sandbox only knows the app 'dravo-sandbox'.", status=400)
    if not values.get("redirect_uri", "").startswith(("http://", "https://")):
        return HttpResponse("Invalid redirect_uri.", status=400)
    if request.method == "POST":
        return consent_decision(values, login)
    scopes = values.get("scope") or (IG_SCOPES if login == "instagram" else FB_SCOPES)
    return oauth.consent_page(
        request,
        network=f"Instagram ({login.title()} Login)",
        params=values,
        client_id=values["client_id"],
        scopes=scopes.replace(" ", ",").split(","),
        keep=("client_id", "redirect_uri", "state", "scope", "response_type"),
    )


def consent_decision(values: dict, login: str):
    denied = {"error_reason": "user_denied", "error_description": "Permissions error"}
    return oauth.consent_decision(
        NETWORK,
        values,
        redirect_uri=values["redirect_uri"],
        state=values.get("state", ""),
        denied=denied,
        login=login,
        scope=values.get("scope", ""),
    )


@sandbox_view
def fb_consent(request, version):
    """Facebook Login dialog: https://www.facebook.com/{v}/dialog/oauth."""
    return consent(request, "facebook")


@sandbox_view
def ig_consent(request):
    """Instagram Login: https://www.instagram.com/oauth/authorize."""
    return consent(request, "instagram")


# --- OAuth: token endpoints ------------------------------------------------------------------
def redeem_code(values: dict) -> tuple[dict | None, str]:
    """(identity, "") for a valid, unused code of the sandbox app, else (None, why)."""
    if values.get("client_id") != settings.SANDBOX_APP["client_id"]:
        return None, "Error validating application. Invalid application ID."
    if values.get("client_secret") != settings.SANDBOX_APP["client_secret"]:
        return None, "Error validating client secret."
    record = record_get(NETWORK, "code", values.get("code", ""))
    if record is None:
        return None, "Invalid verification code format."
    if record.status != "issued":
        return None, "This authorization code has been used."
    if record.data.get("redirect_uri") != values.get("redirect_uri"):
        return None, "Error validating verification code. Please make sure your redirect_uri is identical."
    record.status = "used"
    record.save(update_fields=["status", "updated_at"])
    return identity("code:" + record.object_id), ""


@sandbox_view
def fb_token(request, version):
    """GET /{v}/oauth/access_token: code exchange, or the fb_exchange_token long-lived exchange."""
    values = params_of(request)
    if values.get("grant_type") == "fb_exchange_token":
        if values.get("client_id") != settings.SANDBOX_APP["client_id"]:
            return graph_error("Error validating application. Invalid application ID.", 101)
        token = values.get("fb_exchange_token", "")
        if is_refused_token(token):
            return invalid_token()
        if request.sandbox.name == "token_expired":
            return expired_token()
        return token_answer(identity(token))
    ident, why = redeem_code(values)
    if ident is None:
        return bad_param(why, subcode=36007)
    return token_answer(ident, SHORT_LIVED_S)


@sandbox_view
def ig_token(request):
    """POST api.instagram.com/oauth/access_token: code → short-lived token, user_id, permissions."""
    values = params_of(request)
    if request.method != "POST" or values.get("grant_type") != "authorization_code":
        return ig_oauth_error("Invalid grant_type: authorization_code expected")
    ident, why = redeem_code(values)
    if ident is None:
        return ig_oauth_error(why)
    token = issue_token(ident)
    return JsonResponse(
        {"access_token": token, "user_id": int(ident["ig_user_id"]), "permissions": IG_SCOPES.split(",")}
    )


def ig_long_lived(request, grant_type: str):
    values = params_of(request)
    if values.get("grant_type") != grant_type:
        return bad_param(f"grant_type must be {grant_type}")
    token = values.get("access_token", "")
    if is_refused_token(token):
        return invalid_token()
    if request.sandbox.name == "token_expired":
        return expired_token()
    return token_answer(identity(token))


@sandbox_view
def ig_exchange(request):
    """GET graph.instagram.com/access_token?grant_type=ig_exchange_token: the 60-day token."""
    if request.GET.get("client_secret") != settings.SANDBOX_APP["client_secret"]:
        return graph_error("Error validating client secret.", 1)
    return ig_long_lived(request, "ig_exchange_token")


@sandbox_view
def ig_refresh(request):
    """GET graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token: a new 60-day token."""
    return ig_long_lived(request, "ig_refresh_token")


# --- accounts -------------------------------------------------------------------------------
@graph_view()
def me(request, version):
    ident = bound_identity(request)
    return JsonResponse(
        {
            "id": ident["user_id"],
            "name": "Sandbox User",
            "user_id": ident["ig_user_id"],
            "username": username_for(ident["ig_user_id"]),
        }
    )


@graph_view()
def me_accounts(request, version):
    """The Pages of the user, each with its Page token and IG business account."""
    ident = identity(request.token)
    page = {
        "id": ident["page_id"],
        "name": "Sandbox Page",
        "access_token": issue_token(ident, prefix="sbx_page_"),
        "category": "Brand",
        "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"],
        "instagram_business_account": {"id": ident["ig_user_id"]},
    }
    return JsonResponse({"data": [page], "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}}})


# --- publishing -----------------------------------------------------------------------------
def publish_gate(request, *key, first_step: bool):
    """The account's behaviour at a publishing step; None to go on."""
    behavior = request.sandbox.name
    if behavior == "token_expired":
        return expired_token()
    if behavior == "rejects":
        return graph_error(REJECT_REASON, 100, subcode=2207050)
    if first_step and behavior in ("rate_limited", "flaky") and first_attempt(NETWORK, behavior, request.token, *key):
        if behavior == "rate_limited":
            headers = {"Retry-After": "1"}
            return graph_error("Application request limit reached", 4, status=429, transient=True, headers=headers)
        return graph_error(
            "An unexpected error has occurred. Please retry your request later.", 2, status=503, transient=True
        )
    return None


def media_fetch_error(values: dict) -> str:
    """The ERROR status Meta would reach after cURLing the media (sandbox files only)."""
    for key, prefix, subcode in (("image_url", "image/", 2207005), ("video_url", "video/", 2207026)):
        url = values.get(key, "")
        if "/sandbox/files/" not in url:
            continue
        name = url.rsplit("/sandbox/files/", 1)[1]
        if name not in SAMPLES:
            return "Error: 2207052: The media could not be fetched from the URI."
        if not SAMPLES[name][0].startswith(prefix):
            return f"Error: {subcode}: The media format is not supported ({SAMPLES[name][0]})."
    return ""


def container_problem(values: dict, ig_user_id: str):
    media_type, child = values.get("media_type", "IMAGE"), values.get("is_carousel_item") == "true"
    caption = values.get("caption", "")
    if len(caption) > CAPTION_LIMIT or caption.count("#") > HASHTAG_LIMIT:
        return bad_param("The caption is too long or has too many hashtags.", subcode=2207010)
    if "collaborators" in values and (child or len(values["collaborators"].split(",")) > 3):
        return bad_param("param collaborators is not allowed" if child else "At most 3 collaborators are allowed.")
    required = {"IMAGE": "image_url", "REELS": "video_url", "VIDEO": "video_url", "CAROUSEL": "children"}
    if media_type == "VIDEO" and not child:
        return bad_param("The media type VIDEO is not supported for single videos; use REELS.")
    if media_type == "STORIES":
        return (
            None
            if values.get("image_url") or values.get("video_url")
            else bad_param("image_url or video_url is required")
        )
    if media_type not in required:
        return bad_param(f"media_type {media_type} is not supported")
    if not values.get(required[media_type]):
        return bad_param(f"The parameter {required[media_type]} is required")
    return carousel_problem(values["children"], ig_user_id) if media_type == "CAROUSEL" else None


def carousel_problem(children: str, ig_user_id: str):
    ids = [child for child in children.split(",") if child]
    if not CAROUSEL_MIN <= len(ids) <= CAROUSEL_MAX:
        return bad_param(f"A carousel takes {CAROUSEL_MIN} to {CAROUSEL_MAX} children ({len(ids)} given).")
    for child in ids:
        record = record_get(NETWORK, "container", child)
        if not record or record.owner != ig_user_id or not record.data.get("is_carousel_item"):
            return bad_param(f"{child} is not a carousel item container of this account.")
    return None


@graph_view(methods=("GET", "POST"))
def user_media(request, version, ig_user_id):
    """POST creates a container; GET lists the account's recent feed media."""
    if request.method == "GET":
        return media_list(request, ig_user_id, stories=False)
    values = params_of(request)
    values.pop("access_token", None)
    child = values.get("is_carousel_item") == "true"
    key = values.get("caption") or values.get("image_url") or values.get("video_url") or values.get("children", "")
    refusal = publish_gate(request, ig_user_id, key, first_step=not child) or container_problem(values, ig_user_id)
    if refusal:
        return refusal
    container_id = numeric_id(17)
    values.update(is_carousel_item=child, error=media_fetch_error(values))
    record_create(NETWORK, "container", container_id, owner=ig_user_id, status="IN_PROGRESS", **values)
    return JsonResponse({"id": container_id})


@graph_view(methods=("POST",))
def media_publish(request, version, ig_user_id):
    container_id = params_of(request).get("creation_id", "")
    container = record_get(NETWORK, "container", container_id)
    if container is None or container.owner != ig_user_id:
        return not_found(container_id)
    refusal = publish_gate(request, ig_user_id, container_id, first_step=False) or publish_problem(container)
    if refusal:
        return refusal
    media_id = numeric_id(17)
    media_type = container.data.get("media_type", "IMAGE")
    product = {"REELS": "REELS", "STORIES": "STORY"}.get(media_type, "FEED")
    record_create(
        NETWORK,
        "post",
        media_id,
        owner=ig_user_id,
        text=container.data.get("caption", ""),
        media_type={"REELS": "VIDEO", "CAROUSEL": "CAROUSEL_ALBUM"}.get(media_type, media_type),
        product=product,
        shortcode=secrets.token_urlsafe(8)[:11],
        container_id=container_id,
    )
    container.status = "PUBLISHED"
    container.data["media_id"] = media_id
    container.save(update_fields=["status", "data", "updated_at"])
    return JsonResponse({"id": media_id})


def publish_problem(container):
    status = container_status(container, advance=False)
    if container.data.get("is_carousel_item"):
        return bad_param("A carousel item cannot be published on its own.")
    if status == "EXPIRED":
        return bad_param("The media container has expired.", subcode=2207020)
    if status == "PUBLISHED":
        return bad_param("This media container has already been published.")
    if status == "ERROR":
        return bad_param(container.data["error"], subcode=int(container.data["error"].split(":")[1]))
    if status != "FINISHED":
        return graph_error("Media ID is not available", 9007, subcode=2207027)
    used = record_list(NETWORK, "post", owner=container.owner).filter(created_at__gte=timezone.now() - DAY).count()
    if used >= QUOTA_TOTAL:
        return graph_error("Application request limit reached", 9, subcode=2207042)
    return None




# --- reading --------------------------------------------------------------------------------
def media_fields(post) -> dict:
    username = username_for(post.owner)
    # The permalink is on the sandbox's own www.instagram.com paths, which show the post.
    if post.data["product"] == "STORY":
        page = reverse("sandbox-instagram-story", kwargs={"username": username, "media_id": post.object_id})
    else:
        name = "sandbox-instagram-reel" if post.data["product"] == "REELS" else "sandbox-instagram-post"
        page = reverse(name, kwargs={"shortcode": post.data["shortcode"]})
    permalink = settings.SANDBOX_URL + page
    metrics = grown_metrics(post, METRIC_RATES)
    return {
        "id": post.object_id,
        "caption": post.data.get("text", ""),
        "media_type": post.data["media_type"],
        "media_product_type": post.data["product"],
        "permalink": permalink,
        "shortcode": post.data["shortcode"],
        "timestamp": post.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "username": username,
        "like_count": metrics["likes"],
        "comments_count": metrics["comments"],
    }


def only(fields: dict, request, default: str) -> dict:
    wanted = [name for name in (request.GET.get("fields") or default).split(",") if name in fields]
    return {"id": fields["id"], **{name: fields[name] for name in wanted}}


def media_list(request, ig_user_id: str, *, stories: bool):
    posts = record_list(NETWORK, "post", owner=ig_user_id)
    posts = (
        posts.filter(data__product="STORY", created_at__gte=timezone.now() - DAY)
        if stories
        else posts.exclude(data__product="STORY")
    )
    limit = int(request.GET.get("limit", "25")) if request.GET.get("limit", "").isdigit() else 25
    data = [only(media_fields(post), request, "id") for post in posts[:limit]]
    return JsonResponse({"data": data, "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}}})


@graph_view()
def stories(request, version, ig_user_id):
    return media_list(request, ig_user_id, stories=True)


@graph_view()
def publishing_limit(request, version, ig_user_id):
    used = record_list(NETWORK, "post", owner=ig_user_id).filter(created_at__gte=timezone.now() - DAY).count()
    config = {"quota_total": QUOTA_TOTAL, "quota_duration": 86400}
    return JsonResponse({"data": [{"quota_usage": used, "config": config}]})


@graph_view()
def graph_object(request, version, object_id):
    """GET /{id}: a container's status, a media's fields, or an IG user."""
    container = record_get(NETWORK, "container", object_id)
    if container:
        status = container_status(container, advance=True)
        body = {"id": object_id, "status_code": status}
        if status == "ERROR":
            body["status"] = container.data["error"]
        return JsonResponse(body)
    post = record_get(NETWORK, "post", object_id)
    if post:
        return JsonResponse(only(media_fields(post), request, "id"))
    if object_id.isdigit():
        if not own_user(request, object_id):
            return not_found(object_id)  # an issued or bound token sees its own IG user only
        user = {"id": object_id, "username": username_for(object_id), "name": "Sandbox Instagram"}
        user.update(account_metrics(object_id, USER_RATES))
        user["media_count"] = record_list(NETWORK, "post", owner=object_id).count()
        return JsonResponse(only(user, request, "id"))
    return not_found(object_id)


def own_user(request, ig_user_id: str) -> bool:
    """Whether the request's token may read the IG user `ig_user_id`: an issued or bound
    token its own only; a token the sandbox never saw, any."""
    ident = bound_identity(request)
    return not record_get(NETWORK, "token", request.token) or ident["ig_user_id"] == ig_user_id


def user_insights(request, ig_user_id: str):
    """`/{ig-user-id}/insights?metric=…&period=day&metric_type=total_value`: the account's
    totals of the last day."""
    names = [name for name in request.GET.get("metric", "").split(",") if name]
    for index, name in enumerate(names):
        if name not in USER_INSIGHT_RATES:
            return bad_param(
                f"metric[{index}] must be one of the following values: {', '.join(sorted(USER_INSIGHT_RATES))}"
            )
    if not names or request.GET.get("period") != "day":
        return bad_param("The parameter period is required and must be day for these metrics")
    if request.GET.get("metric_type") != "total_value":
        return bad_param("The following metrics should be specified with parameter metric_type=total_value")
    values = account_metrics(ig_user_id, USER_INSIGHT_RATES)
    data = [
        {
            "name": name,
            "period": "day",
            "title": name.replace("_", " ").capitalize(),
            "total_value": {"value": values[name]},
            "id": f"{ig_user_id}/insights/{name}/day",
        }
        for name in names
    ]
    return JsonResponse({"data": data, "paging": {}})


@graph_view(methods=("POST",))
def comments(request, version, media_id):
    post = record_get(NETWORK, "post", media_id)
    if post is None or post.data["product"] == "STORY":
        return not_found(media_id)
    message = params_of(request).get("message", "")
    if not message:
        return bad_param("The parameter message is required")
    comment_id = numeric_id(17)
    record_create(NETWORK, "comment", comment_id, owner=post.owner, media_id=media_id, text=message)
    return JsonResponse({"id": comment_id})


@graph_view()
def insights(request, version, media_id):
    """A media's insights, or the IG user's own (`media_id` is then the user's id)."""
    post = record_get(NETWORK, "post", media_id)
    is_user = media_id.startswith(IG_USER_PREFIX) and record_get(NETWORK, "container", media_id) is None
    if post is None and is_user and own_user(request, media_id):
        return user_insights(request, media_id)
    if post is None:
        return not_found(media_id)
    names = [name for name in request.GET.get("metric", "").split(",") if name]
    for index, name in enumerate(names):
        if name not in LIVE_METRICS:
            return bad_param(f"metric[{index}] must be one of the following values: {', '.join(sorted(LIVE_METRICS))}")
        if post.data["product"] == "STORY" and name in NOT_FOR_STORIES:
            return bad_param(f"The Media Insights API does not support the {name} metric for this media product type.")
    values = grown_metrics(post, METRIC_RATES)
    values["total_interactions"] = sum(values[key] for key in ("likes", "comments", "shares", "saved"))
    data = [
        {
            "name": name,
            "period": "lifetime",
            "values": [{"value": values.get(name, 0)}],
            "title": name.replace("_", " ").capitalize(),
            "id": f"{media_id}/insights/{name}/lifetime",
        }
        for name in names
    ]
    return JsonResponse({"data": data})


GRAPH = r"^(?P<version>v\d+\.\d+)/"
# --- the public website: the page of a post, Reel or story ---------------------------------
def _page_media(post) -> list[PageMedia]:
    container = record_get(NETWORK, "container", post.data.get("container_id", ""))
    values = container.data if container else {}
    children = [record_get(NETWORK, "container", child) for child in values.get("children", "").split(",") if child]
    media = []
    for item in [child.data for child in children if child] or [values]:
        if item.get("video_url"):
            media.append(PageMedia("video", item["video_url"]))
        elif item.get("image_url"):
            media.append(PageMedia("image", item["image_url"]))
    return media


def _page(request, post):
    author = username_for(post.owner) if post else ""
    return post_page(request, network="Instagram", record=post, author=author, media=_page_media(post) if post else ())


def _by_shortcode(shortcode: str, *, reel: bool):
    post = record_list(NETWORK, "post").filter(data__shortcode=shortcode).first()
    return post if post and (post.data["product"] == "REELS") == reel and post.data["product"] != "STORY" else None


@sandbox_view
def post_page_view(request, shortcode):
    """www.instagram.com/p/{shortcode}/: the sandbox's page of a feed post or carousel."""
    return _page(request, _by_shortcode(shortcode, reel=False))


@sandbox_view
def reel_page_view(request, shortcode):
    """www.instagram.com/reel/{shortcode}/."""
    return _page(request, _by_shortcode(shortcode, reel=True))


@sandbox_view
def story_page_view(request, username, media_id):
    """www.instagram.com/stories/{username}/{media_id}/."""
    post = record_get(NETWORK, "post", media_id)
    if post and (post.data["product"] != "STORY" or username_for(post.owner) != username):
        post = None
    return _page(request, post)


def demo_credentials(token: str) -> dict:
    """The credentials besides the token that `manage.py demo_setup` connects a sandbox
    account of this network with."""
    return {"ig_user_id": identity(token)["ig_user_id"]}


urlpatterns = [
    path("p/<str:shortcode>/", post_page_view, name="sandbox-instagram-post"),
    path("reel/<str:shortcode>/", reel_page_view, name="sandbox-instagram-reel"),
    path("stories/<str:username>/<str:media_id>/", story_page_view, name="sandbox-instagram-story"),
    path("oauth/authorize", ig_consent, name="sandbox-instagram-authorize"),
    path("oauth/access_token", ig_token, name="sandbox-instagram-ig-token"),
    path("access_token", ig_exchange, name="sandbox-instagram-ig-exchange"),
    path("refresh_access_token", ig_refresh, name="sandbox-instagram-ig-refresh"),
    re_path(GRAPH + r"dialog/oauth$", fb_consent, name="sandbox-instagram-dialog"),
    re_path(GRAPH + r"oauth/access_token$", fb_token, name="sandbox-instagram-fb-token"),
    re_path(GRAPH + r"me$", me),
    re_path(GRAPH + r"me/accounts$", me_accounts),
    re_path(GRAPH + r"(?P<ig_user_id>\d+)/media$", user_media),
    re_path(GRAPH + r"(?P<ig_user_id>\d+)/media_publish$", media_publish),
    re_path(GRAPH + r"(?P<ig_user_id>\d+)/content_publishing_limit$", publishing_limit),
    re_path(GRAPH + r"(?P<ig_user_id>\d+)/stories$", stories),
    re_path(GRAPH + r"(?P<media_id>\d+)/comments$", comments),
    re_path(GRAPH + r"(?P<media_id>\d+)/insights$", insights),
    re_path(GRAPH + r"(?P<object_id>[^/]+)$", graph_object),
]
