"""Posts made from request bodies exactly as `POST /v1/posts` makes them: the same
serializers, then the same service. The API's create, bulk jobs and CSV imports use it."""

from accounts import selectors as account_selectors
from accounts.models import Workspace
from publishing import services
from publishing.api.serializers import PostCreateSerializer, PostDraftSerializer
from publishing.models import Post

NOT_FOR_DRAFTS = ("draft", "recurrence", "recycle", "queue")


class PostMaker:
    """Makes posts for one workspace and mode. Posts made in a row (a job's) share its
    serializer instances (DRF builds every field anew for each instance: a third of a
    small create's CPU) and, after `read_accounts`, one read of the accounts they target."""

    def __init__(self, *, workspace: Workspace, mode: str):
        self.workspace, self.mode = workspace, mode
        self.accounts = None
        self._serializers = {}

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
        serializer = self._serializers.get(kind) or self._serializers.setdefault(kind, kind())
        data = serializer.run_validation(body)
        if draft:
            data = {k: v for k, v in data.items() if k not in NOT_FOR_DRAFTS}
            return services.post_create_draft(workspace=self.workspace, mode=self.mode, **data)
        data = {k: v for k, v in data.items() if k != "draft"}
        return services.post_create(workspace=self.workspace, mode=self.mode, known_accounts=self.accounts, **data)


def post_create_from_body(*, workspace: Workspace, mode: str, body) -> Post:
    """One post from one body, as POST /v1/posts makes it."""
    return PostMaker(workspace=workspace, mode=mode).make(body)
