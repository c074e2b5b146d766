"""What the publications admins share."""

from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect


class NulSafeChangelistMixin:
    """A changelist address whose parameters carry a NUL character ("%00") is answered as
    Django answers any other filter it cannot apply: the unfiltered list, at "?e=1".

    PostgreSQL refuses NUL in a text parameter, so `?category=%00` on a choice filter would
    otherwise end in a DataError, a 500. No link the admin makes carries one."""

    def changelist_view(self, request, extra_context=None):
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)
