"""Private files handed to the person entitled to them (permission checked by the caller)."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file_response(
    file: FieldFile, *, filename: str, content_type: str = ""
) -> FileResponse:
    """A download that the browser never renders and no cache keeps; 404 if the file is gone.

    as_attachment: never shown inline, whatever the file claims to be; Django writes
    filename*=utf-8''... (RFC 5987) for names that are not ASCII.
    """
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
