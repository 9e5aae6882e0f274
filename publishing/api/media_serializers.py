"""Shapes of /v1/media: the two ways in (a URL or an upload) and the media shown."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dravo.pagination import KeysetParams
from publishing.media_serve import public_url
from publishing.models import Media


class MediaUrlInput(serializers.Serializer):
    url = serializers.URLField(
        max_length=2000, help_text="An http(s) URL Dravo downloads (ports 80/443, public hosts)."
    )


class MediaUploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="The file itself (multipart/form-data).")


class MediaCreateSerializer(serializers.Serializer):
    """Exactly one of `url` (JSON) and `file` (multipart)."""

    url = serializers.URLField(max_length=2000, required=False)
    file = serializers.FileField(required=False)

    def validate(self, attrs):
        if ("url" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(
                {"url": ["Send either a JSON body with `url` or a multipart upload with the field `file`."]},
                code="url_or_file",
            )
        return attrs


class MediaSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Media
        fields = ["id", "url", "mime_type", "kind", "size_bytes", "width", "height", "duration_s", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, media: Media) -> str:
        return public_url(media)


class MediaListParams(KeysetParams):
    pass
