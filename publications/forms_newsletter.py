"""Forms of the メルマガ newsletter: subscribe, preferences. No side effects."""

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from center.core.models import Ward

from .models import NewsletterTopic


class _ChoicesMixin(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=NewsletterTopic.objects.order_by("order", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to receive every issue."),
    )
    wards = forms.ModelMultipleChoiceField(
        label=_("Wards"),
        queryset=Ward.objects.in_order(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("News about these wards and about the whole city. Choose none for all."),
    )

    def service_choices(self) -> dict:
        return {
            "topics": list(self.cleaned_data["topics"]),
            "wards": list(self.cleaned_data["wards"]),
        }


class SubscribeForm(_ChoicesMixin):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send a confirmation link to this address."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "I agree that the center keeps my email address and choices to send me the "
            "newsletter, as described in the privacy policy."
        ),
        error_messages={
            "required": _("Please agree to the handling of your email address to subscribe.")
        },
    )
    # A honeypot: never shown as an error (the view answers as usual and sends nothing).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput({"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = ["email", "topics", "wards", "privacy_consent"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("email", InlineCheckboxes("topics"), InlineCheckboxes("wards"))

    def is_spam(self) -> bool:
        return bool(str(self.cleaned_data.get("website") or "").strip())


class PreferencesForm(_ChoicesMixin):
    language = forms.ChoiceField(
        label=_("Language of the mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            InlineCheckboxes("topics"), InlineCheckboxes("wards"), InlineRadios("language")
        )
