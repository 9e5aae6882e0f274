"""An account's queue: its weekly slots (GET/PUT /v1/accounts/{id}/queue) and the re-spread
of the posts waiting in it (POST /v1/accounts/{id}/queue/shuffle)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts.models import SocialAccount
from dravo.fields import StrictCharField
from dravo.schema import error_response
from publishing.recurrence import RecurrenceError, zone_of
from publishing.services import queue as queue_services


class SlotSerializer(serializers.Serializer):
    day = serializers.ChoiceField(choices=queue_services.DAYS, help_text="mon … sun.")
    time = StrictCharField(max_length=5, help_text="Local 24-hour time, HH:MM.")

    def validate_time(self, value):
        hours, _, minutes = value.partition(":")
        if not (len(hours) == 2 and len(minutes) == 2 and hours.isdigit() and minutes.isdigit()) or not (
            int(hours) < 24 and int(minutes) < 60
        ):
            raise serializers.ValidationError(f"{value!r} is not a 24-hour HH:MM time, e.g. 09:30.", code="invalid")
        return value


class QueueSerializer(serializers.Serializer):
    time_zone = StrictCharField(max_length=64, help_text="The IANA zone of the slots' times, e.g. America/New_York.")
    slots = SlotSerializer(many=True, max_length=168, help_text="Weekly slots; each holds one post per account.")

    def validate_time_zone(self, value):
        try:
            zone_of(value)
        except RecurrenceError as exc:
            raise serializers.ValidationError(str(exc), code="invalid") from exc
        return value

    def validate_slots(self, value):
        seen = set()
        for index, slot in enumerate(value):
            key = (slot["day"], slot["time"])
            if key in seen:
                message = f"Slot {index} repeats {slot['day']} {slot['time']}."
                raise serializers.ValidationError(message, code="duplicate")
            seen.add(key)
        return value


ShuffledSerializer = inline_serializer(
    "QueueShuffled",
    {
        "posts": inline_serializer(
            "QueuedPost", {"id": serializers.CharField(), "scheduled_at": serializers.DateTimeField()}, many=True
        )
    },
)


class QueueAccountView(APIView):
    """Base: the account of the URL, in the caller's workspace and mode (else a 404)."""

    def account(self, account_id: str) -> SocialAccount:
        auth = self.request.auth
        accounts = account_selectors.social_account_list(workspace=auth.workspace, mode=auth.mode)
        account = accounts.filter(pk=account_id).first()
        if account is None:
            raise NotFound(f"No account {account_id} in this workspace and mode.")
        return account


def _queue_data(schedule) -> dict:
    return {"account_id": schedule.account_id, "time_zone": schedule.time_zone, "slots": schedule.slots}


class QueueView(QueueAccountView):
    @extend_schema(
        tags=["accounts"],
        summary="Show an account's queue slots",
        responses={200: QueueSerializer, 404: error_response(404)},
    )
    def get(self, request, account_id: str):
        """The weekly slots (none until set) and their time zone."""
        return Response(_queue_data(queue_services.queue_get(account=self.account(account_id))))

    @extend_schema(
        tags=["accounts"],
        summary="Set an account's queue slots",
        request=QueueSerializer,
        responses={200: QueueSerializer, 400: error_response(400), 404: error_response(404)},
    )
    def put(self, request, account_id: str):
        """Replace the weekly slots. Posts already queued keep their times; later ones take
        the new slots."""
        account = self.account(account_id)
        params = QueueSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        schedule = queue_services.queue_set(account=account, **params.validated_data)
        return Response(_queue_data(schedule))


class QueueShuffleView(QueueAccountView):
    @extend_schema(
        tags=["accounts"],
        summary="Re-spread an account's queued posts over its slots",
        request=None,
        responses={200: ShuffledSerializer, 404: error_response(404)},
    )
    def post(self, request, account_id: str):
        """The posts waiting in the account's queue, in a random order, each take the
        earliest slot free on all their accounts (gaps fill up). Answers their new times."""
        posts = queue_services.queue_shuffle(account=self.account(account_id))
        return Response({"posts": [{"id": post.pk, "scheduled_at": post.scheduled_at} for post in posts]})
