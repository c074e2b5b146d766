"""The survey form of an attendee: satisfaction on a 1–5 scale, a free comment, and the
event's survey questions as fields `q_<question id>` (built by the registration form's
`_question_field`). A POST naming a question that is not one of them (forged or stale)
is an error on the form, and the service refuses it again."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from center.lib.forms import PlainTextField

from .forms import QUESTION_PREFIX, _question_field
from .models import Question
from .services_survey import MAX_COMMENT_LENGTH

SATISFACTION_CHOICES = [
    (5, _("5 — Very satisfied")),
    (4, _("4 — Satisfied")),
    (3, _("3 — Neither")),
    (2, _("2 — Dissatisfied")),
    (1, _("1 — Very dissatisfied")),
]
_QUESTION_KEY = re.compile(rf"^{QUESTION_PREFIX}")


class SurveyForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with this event?"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose how satisfied you are, from 1 to 5."),
            "invalid_choice": _("Please choose how satisfied you are, from 1 to 5."),
        },
    )
    comment = PlainTextField(
        label=_("Comments (optional)"),
        help_text=_("What was useful, what could be better, topics you would like next time."),
        multiline=True,
        max_length=MAX_COMMENT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, questions: list[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = _question_field(question)

    def question_fields(self):
        return [self[f"{QUESTION_PREFIX}{question.pk}"] for question in self.questions]

    def clean(self):
        cleaned = super().clean()
        known = {f"{QUESTION_PREFIX}{question.pk}" for question in self.questions}
        if any(_QUESTION_KEY.match(key) and key not in known for key in self.data):
            raise forms.ValidationError(
                _("The form does not match this event's questions. Please reload the page."),
                code="unknown_question",
            )
        return cleaned

    def answers(self) -> dict[int, object]:
        return {
            question.pk: self.cleaned_data[f"{QUESTION_PREFIX}{question.pk}"]
            for question in self.questions
        }
