"""The JSON of a WordPress post built from Dravo's content, without I/O: the title and the
text as HTML (providers.wordpress.rules says how), the images after the featured one as
image blocks, and the options that are post fields."""

import html
import re
from urllib.parse import unquote, urlsplit

from providers.base import Content
from providers.wordpress.rules import title_and_body

MIME_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
}


URL_RE = re.compile(r"https?://[^\s<>\"']+")
TRAILING = ".,:;!?)]}"  # punctuation after a URL ends the sentence, not the URL


def linked(text: str) -> str:
    """Plain text as escaped HTML, each http(s) URL in it a link to itself."""
    parts, last = [], 0
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(TRAILING)
        parts.append(html.escape(text[last : match.start()]))
        parts.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        last = match.start() + len(url)
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def paragraphs(text: str) -> str:
    """Plain text as HTML: escaped, URLs as links, a blank line between paragraphs (`<p>`),
    a single line break kept as `<br />`."""
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "\n\n".join(f"<p>{linked(block).replace(chr(10), '<br />' + chr(10))}</p>" for block in blocks)


def post_body(content: Content, media: list[dict], tag_ids: list[int]) -> dict:
    """The JSON of creating the post: title, content (the text as paragraphs unless `html`,
    then the images after the first as image blocks), the status (publish unless the option
    says otherwise), the options that are
    post fields, the featured image and the tag ids."""
    options = content.options or {}
    title, text = title_and_body(content)
    body_html = text if options.get("html") else paragraphs(text)
    for item in media[1:]:
        figure = f'<figure class="wp-block-image"><img src="{html.escape(item["url"])}" alt="" /></figure>'
        body_html = f"{body_html}\n\n{figure}" if body_html else figure
    body = {"title": title, "content": body_html, "status": options.get("status") or "publish"}
    for name in ("excerpt", "slug", "format", "comment_status", "categories"):
        if options.get(name):
            body[name] = options[name]
    if tag_ids:
        body["tags"] = tag_ids
    if media:
        body["featured_media"] = media[0]["id"]
    return body


def file_name(url: str, mime: str, index: int) -> str:
    """A safe file name for the upload: the URL's, else `image-<n>.<ext>`."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    name = re.sub(r"[^A-Za-z0-9._-]", "-", name).strip(".-")
    if not name or "." not in name:
        name = f"image-{index + 1}.{MIME_EXTENSIONS.get(mime, 'jpg')}"
    return name[:100]
