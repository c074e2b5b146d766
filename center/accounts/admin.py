from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import CENTER_STAFF, ROLES, WARD_STAFF


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = ["email", "password", "name", "language", "groups", "ward", "is_active"]

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if (
            groups is not None
            and groups.filter(name=WARD_STAFF).exists()
            and not cleaned.get("ward")
        ):
            self.add_error("ward", _("Ward center staff must belong to a ward."))
        return cleaned


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "role_list", "ward", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "ward", "is_superuser"]
    list_select_related = ["ward"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "language"]}),
        (_("Roles"), {"fields": ["groups", "ward", "is_active", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return ", ".join(
            str(ROLES[group.name].label) if group.name in ROLES else group.name
            for group in obj.groups.all()
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        if obj is not None and obj.pk == request.user.pk:
            # Nobody raises their own privileges, not even by accident.
            readonly += ["groups", "is_superuser", "is_active"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name=CENTER_STAFF)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
