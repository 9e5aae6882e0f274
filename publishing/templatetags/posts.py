"""Template helpers of the post pages: thin wrappers over publishing.display."""

from django import template
from django.utils import timezone

from publishing import display

register = template.Library()


@register.filter
def live_ids(post) -> str:
    """The `ids` a settling post's card or page polls /posts/live with ("" once settled)."""
    return display.live_ids(post=post, now=timezone.now())


@register.filter
def account_label(account) -> str:
    """How a person knows the account (publishing.display.account_name)."""
    return display.account_name(account=account)
