from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Sign-up never grants a role: roles come only from staff (see services)."""
        user = super().save_user(request, user, form, commit=False)
        user.language = (translation.get_language() or "ja")[:2]
        if commit:
            user.save()
        return user
