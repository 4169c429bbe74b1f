"""Django admin for the `admin` role: reference data and user accounts only, never case
content. Nobody can be made a superuser or be given loose permissions here: the role
decides what an account may do."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from spip.models import Branch, Court, Department, Partner, User

admin.site.site_header = _("SPIP administration")
admin.site.site_title = _("SPIP administration")
admin.site.index_title = _("Reference data and accounts")
# Permissions follow the role (spip.backends); groups would be a second, hidden way to grant.
admin.site.unregister(Group)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "spip_name", "name"]
    search_fields = ["code", "name", "spip_name"]


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["name", "city"]
    search_fields = ["name", "city"]


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "court", "environment"]
    list_filter = ["department", "environment"]
    list_select_related = ["department", "court"]
    search_fields = ["name"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "department", "contact_name"]
    list_filter = ["kind", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "contact_name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "branch", "is_active"]
    list_filter = ["role", "branch", "is_active"]
    list_select_related = ["branch"]
    search_fields = ["username", "last_name", "first_name", "email"]
    filter_horizontal = ["directed_branches"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Identity"), {"fields": ["first_name", "last_name", "email"]}),
        (
            _("Role and place of work"),
            {"fields": ["role", "branch", "directed_branches", "court", "partner"]},
        ),
        (_("Status"), {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "role",
                    "branch",
                    "court",
                    "partner",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Nobody widens their own access: another administrator changes your role.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += ["role", "branch", "directed_branches", "court", "partner", "is_staff"]
        return fields
