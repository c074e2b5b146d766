"""Forms of the 協働事例 case stories: the public filter, the admin photo and the reason
for sending a story back to draft."""

from django import forms
from django.utils.translation import gettext_lazy as _

from center.core.models import SdgGoal, Ward
from center.lib.forms import AltTextRequiredMixin
from center.lib.images import VerifiedImageField

from .models import Sector, StoryPhoto, Theme
from .selectors.stories import StoryFilters

# Long enough for a print-quality A4 width in the magazine PDF, small enough for the web.
PHOTO_MAX_SIDE = 2400


class StoryFilterForm(forms.Form):
    """The public list's filters (GET). Choice fields, never lookups of the raw input: a
    value that is not one of the choices is dropped, so no query string reaches the
    database and bad input can only mean "no filter"."""

    ward = forms.ChoiceField(label=_("Ward"), required=False)
    sdg = forms.TypedChoiceField(label=_("SDG"), required=False, coerce=int, empty_value=None)
    sector = forms.ChoiceField(label=_("Partner sector"), required=False)
    theme = forms.TypedChoiceField(label=_("Theme"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        any_choice = [("", _("All"))]
        self.fields["ward"].choices = any_choice + [
            (ward.code, ward.display_name) for ward in Ward.objects.in_order()
        ]
        self.fields["sdg"].choices = any_choice + [
            (goal.number, str(goal)) for goal in SdgGoal.objects.order_by("number")
        ]
        self.fields["sector"].choices = any_choice + list(Sector.choices)
        self.fields["theme"].choices = any_choice + [
            (theme.pk, str(theme)) for theme in Theme.objects.all()
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> StoryFilters:
        """The valid filters only: each bad field is ignored on its own."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return StoryFilters(
            ward_code=data.get("ward") or None,
            sdg_number=data.get("sdg") or None,
            sector=data.get("sector") or None,
            theme_id=data.get("theme") or None,
        )

    def active_query(self) -> dict[str, str]:
        """The valid filters as GET parameters, for pagination links."""
        filters = self.filters()
        params = {
            "ward": filters.ward_code,
            "sdg": filters.sdg_number,
            "sector": filters.sector,
            "theme": filters.theme_id,
        }
        return {name: str(value) for name, value in params.items() if value}


class StoryPhotoAdminForm(AltTextRequiredMixin, forms.ModelForm):
    """A story photo in the admin: the upload is verified and re-encoded without EXIF/GPS
    (`VerifiedImageField`), and alt text is required unless the photo is decorative."""

    image = VerifiedImageField(label=_("photo"), max_side=PHOTO_MAX_SIDE)

    class Meta:
        model = StoryPhoto
        fields = ["image", "caption", "alt_text", "is_decorative", "order"]


class ReturnToDraftForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the author"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_("What should change before the story is submitted again."),
    )
