"""One media upload service (media_create) behind POST /v1/media and the dashboard's
compose upload: the same checks, the same row, the same answer."""

import io

import pytest
from rest_framework.exceptions import ValidationError

from publishing.models import Media
from publishing.services.media import media_create
from tests import media_files

pytestmark = [pytest.mark.django_db]
VARYING = ("id", "url", "created_at")


def upload(name: str = "banner.jpg") -> io.BytesIO:
    file = io.BytesIO(media_files.jpeg())
    file.name = name
    return file


def test_the_api_and_the_dashboard_answer_an_upload_with_the_same_media(api_client, browser_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    by_api = api_client.post("/v1/media", {"file": upload()}, format="multipart")
    by_dashboard = browser_client.post("/compose/media", {"file": upload()})
    assert by_api.status_code == by_dashboard.status_code == 201
    same = {k: v for k, v in by_api.json().items() if k not in VARYING}
    assert same == {k: v for k, v in by_dashboard.json().items() if k not in VARYING}
    assert Media.objects.count() == 2


def test_an_upload_without_a_file_or_url_is_refused_on_file_and_stores_nothing(workspace):
    with pytest.raises(ValidationError) as refused:
        media_create(workspace=workspace, mode="test", render=lambda media: {})
    assert refused.value.get_codes() == {"file": ["required"]}
    assert not Media.objects.exists()
