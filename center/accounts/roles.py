"""The portal's roles. Each is a Django group; the permissions each holds are declared here.

A permission listed for an app that is not installed yet is ignored until it is.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ORG_MEMBER = "org_member"
COORDINATOR = "coordinator"
CENTER_STAFF = "center_staff"
CITY_STAFF = "city_staff"
WARD_STAFF = "ward_staff"


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    # Staff roles need MFA before any back-office page.
    is_staff_role: bool
    # Roles that work in the Django admin.
    uses_admin: bool
    permissions: tuple[str, ...] = field(default_factory=tuple)


ROLES: dict[str, Role] = {
    role.name: role
    for role in [
        Role(ORG_MEMBER, _("Member of a registered group"), is_staff_role=False, uses_admin=False),
        Role(
            COORDINATOR,
            _("Collaboration coordinator"),
            is_staff_role=True,
            uses_admin=True,
            permissions=(
                "core.view_ward",
                "core.view_sdggoal",
                # Coordinators work on the cases assigned to them (scoped by the selector).
                "consultations.view_consultation",
                "consultations.change_consultation",
                "consultations.add_caseevent",
                # They draft news and case stories (only their own drafts, scoped in the
                # admin; publishing stays with center staff) and keep talent profiles.
                "publications.view_newsitem",
                "publications.add_newsitem",
                "publications.change_newsitem",
                "publications.view_casestory",
                "publications.add_casestory",
                "publications.change_casestory",
                *(
                    f"publications.{action}_{model}"
                    for model in ("storypartner", "storyphoto")
                    for action in ("view", "add", "change", "delete")
                ),
                "publications.view_theme",
                "publications.view_talentprofile",
                "publications.add_talentprofile",
                "publications.change_talentprofile",
                "publications.view_expertise",
                # They draft newsletter issues and mail themselves a test; sending stays
                # with center staff (publications.send_newsletterissue).
                "publications.view_newsletterissue",
                "publications.add_newsletterissue",
                "publications.change_newsletterissue",
                "publications.view_newslettertopic",
                # 市民協働HUB: they take introduction requests and record the outcome, and
                # may hide a post from the board; partners stay with center staff.
                "organizations.view_partner",
                "organizations.view_partnermembership",
                "organizations.view_hubpost",
                "organizations.change_hubpost",
                "organizations.view_introductionrequest",
                "organizations.change_introductionrequest",
                # Registered groups: coordinators look them up, staff review them.
                "organizations.view_activityfield",
                "organizations.view_group",
                "organizations.view_groupmembership",
            ),
        ),
        Role(
            CENTER_STAFF,
            _("Center staff"),
            is_staff_role=True,
            uses_admin=True,
            permissions=(
                "accounts.view_user",
                "accounts.add_user",
                "accounts.change_user",
                "core.view_ward",
                "core.view_sdggoal",
                "core.view_auditevent",
                "core.view_outboxmessage",
                *(
                    f"consultations.{action}_{model}"
                    for model in (
                        "consultation",
                        "caseevent",
                        "attachment",
                        "citysharing",
                        "consultationsession",
                        "sessionslot",
                        "slotbooking",
                    )
                    for action in ("view", "add", "change")
                ),
                "consultations.export_personal_data",
                "consultations.delete_sessionslot",
                *(
                    f"publications.{action}_{model}"
                    for model in (
                        "newsitem",
                        "casestory",
                        "storypartner",
                        "storyphoto",
                        "theme",
                        "talentprofile",
                        "expertise",
                        "talentcontactrequest",
                    )
                    for action in ("view", "add", "change", "delete")
                ),
                "publications.view_storyrevision",
                *(
                    f"publications.{action}_{model}"
                    for model in (
                        "newsletterissue",
                        "newslettertopic",
                        "pamphlet",
                        "pamphletsection",
                        "namecard",
                        "magazineissue",
                        "magazinearticle",
                        "magazinephoto",
                    )
                    for action in ("view", "add", "change", "delete")
                ),
                "publications.send_newsletterissue",
                "publications.view_subscriber",
                "publications.change_subscriber",
                "publications.delete_subscriber",
                "publications.view_newsletterdelivery",
                *(
                    f"events.{action}_{model}"
                    for model in (
                        "program",
                        "programplan",
                        "event",
                        "eventsession",
                        "speaker",
                        "question",
                    )
                    for action in ("view", "add", "change", "delete")
                ),
                # Registrations, answers and check-in (events.change_registration opens the
                # check-in page); a registration is cancelled, never deleted.
                *(
                    f"events.{action}_{model}"
                    for model in ("registration", "answer", "attendance")
                    for action in ("view", "add", "change")
                ),
                "events.delete_attendance",
                # Booth and internship applications come from the public forms: staff
                # review and decide, they neither add nor delete them.
                *(
                    f"events.{action}_{model}"
                    for model in ("exhibitorapplication", "internshipapplication")
                    for action in ("view", "change")
                ),
                "events.view_surveyresponse",
                # 市民協働HUB: staff keep the partner registry and moderate the board.
                *(
                    f"organizations.{action}_{model}"
                    for model in ("partner", "partnermembership", "hubpost")
                    for action in ("view", "add", "change", "delete")
                ),
                "organizations.view_introductionrequest",
                "organizations.change_introductionrequest",
                # 団体登録: staff review applications (the review page and actions need
                # change) and keep members; applications come only from the public form.
                "organizations.view_activityfield",
                *(
                    f"organizations.{action}_{model}"
                    for model in ("group", "groupmembership")
                    for action in ("view", "change", "delete")
                ),
                "organizations.add_groupmembership",
                "organizations.view_groupdocument",
                "organizations.view_groupinvitation",
                "organizations.delete_groupinvitation",
                # Spaces: staff keep the rules and closure days and decide on bookings;
                # bookings are requested by groups, so staff do not add them.
                "organizations.view_space",
                "organizations.change_space",
                *(
                    f"organizations.{action}_closure"
                    for action in ("view", "add", "change", "delete")
                ),
                "organizations.view_booking",
                "organizations.change_booking",
                # Ward network (support area): hearings and their template, the know-how
                # library; support requests are filed by wards and answered on the case.
                *(
                    f"networks.{action}_{model}"
                    for model in (
                        "hearing",
                        "hearinganswer",
                        "hearingquestion",
                        "knowhowarticle",
                        "knowhowcategory",
                        "knowhowdocument",
                    )
                    for action in ("view", "add", "change", "delete")
                ),
                "networks.view_supportrequest",
                # ネットワーク会議: staff run the meetings in the admin; ward-center contact
                # details are edited, never added or deleted (one per ward, by migration).
                *(
                    f"networks.{action}_{model}"
                    for model in (
                        "meeting",
                        "agendaitem",
                        "meetingmaterial",
                        "actionitem",
                        "meetingrsvp",
                    )
                    for action in ("view", "add", "change", "delete")
                ),
                "networks.view_wardcenter",
                "networks.change_wardcenter",
            ),
        ),
        Role(
            CITY_STAFF,
            _("City staff (Citizen Collaboration Promotion Division)"),
            is_staff_role=True,
            uses_admin=True,
            permissions=(
                "core.view_ward",
                "core.view_sdggoal",
                # Cases shared with the city (scoped by the selector); they comment through
                # the city comment form on the case page.
                "consultations.view_consultation",
                "consultations.view_caseevent",
                # Ward network (support area): read only.
                *(
                    f"networks.view_{model}"
                    for model in (
                        "hearing",
                        "hearinganswer",
                        "hearingquestion",
                        "supportrequest",
                        "knowhowarticle",
                        "knowhowdocument",
                    )
                ),
            ),
        ),
        Role(
            WARD_STAFF,
            _("Ward center staff"),
            is_staff_role=True,
            uses_admin=False,
        ),
    ]
}
STAFF_ROLE_NAMES = frozenset(name for name, role in ROLES.items() if role.is_staff_role)
ADMIN_ROLE_NAMES = frozenset(name for name, role in ROLES.items() if role.uses_admin)


def sync_role_permissions(*, apps=None, using="default", app_config=None, **kwargs) -> None:
    """Create the role groups and give each exactly the permissions declared above.

    Runs from the roles data migration and after every migrate (with the migration
    state's `apps`), so it uses whichever model registry it is handed. post_migrate is sent
    once per installed app: only the last one acts, when every app's permission rows exist
    (running for each app cost ~8 s per migrate or test-database flush).
    """
    from django.apps import apps as global_apps

    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if app_config is not None and app_config is not with_models[-1]:
        return
    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    declared = {dotted for role in ROLES.values() for dotted in role.permissions}
    app_labels = {dotted.split(".", 1)[0] for dotted in declared}
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(content_type__app_label__in=app_labels)
        .values_list("pk", "content_type__app_label", "codename")
    }
    for role in ROLES.values():
        group, _created = Group.objects.using(using).get_or_create(name=role.name)
        group.permissions.set([by_name[d] for d in role.permissions if d in by_name])
