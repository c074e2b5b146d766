"""What the publications admins share."""

from django.contrib import messages
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import ngettext


class NulSafeChangelistMixin:
    """A changelist address whose parameters carry a NUL character ("%00") is answered as
    Django answers any other filter it cannot apply: the unfiltered list, at "?e=1".

    PostgreSQL refuses NUL in a text parameter, so `?category=%00` on a choice filter would
    otherwise end in a DataError, a 500. No link the admin makes carries one."""

    def changelist_view(self, request, extra_context=None):
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)


class EachActionMixin:
    """Admin actions that call a service on each selected object: what was done and what
    the service refused (with its reason) are reported as messages, never as a 500."""

    # The placeholder of the "done" message: "Published: %(titles)s".
    each_placeholder = "titles"

    def each_name(self, obj) -> str:
        return str(obj)

    def each_refused_message(self, count: int) -> str:
        return ngettext(
            "%(count)d item was not changed: %(details)s",
            "%(count)d items were not changed: %(details)s",
            count,
        )

    def _each(self, request, objects, do, done_message: str) -> None:
        done, refused = [], []
        for obj in objects:
            try:
                do(obj)
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                refused.append(f"{self.each_name(obj)}: {reason}")
            else:
                done.append(self.each_name(obj))
        if done:
            messages.success(request, done_message % {self.each_placeholder: "、".join(done)})
        if refused:
            messages.warning(
                request,
                self.each_refused_message(len(refused))
                % {"count": len(refused), "details": " / ".join(refused)},
            )
