from django.urls import path

from . import views_groups

urlpatterns = [
    path("groups/", views_groups.group_index, name="index"),
    path("groups/apply/", views_groups.group_apply_view, name="apply"),
    path("groups/<int:pk>/", views_groups.group_detail, name="group_detail"),
    path("groups/mine/", views_groups.mine, name="mine"),
    path("groups/mine/<int:pk>/", views_groups.mine_detail, name="mine_detail"),
    path("groups/mine/<int:pk>/edit/", views_groups.mine_edit, name="mine_edit"),
    path("groups/mine/<int:pk>/renew/", views_groups.mine_renew, name="mine_renew"),
    path("groups/mine/<int:pk>/invite/", views_groups.mine_invite, name="mine_invite"),
    path(
        "groups/mine/<int:pk>/documents/<int:document_pk>/",
        views_groups.mine_document,
        name="mine_document",
    ),
    path(
        "groups/mine/<int:pk>/members/<int:membership_pk>/remove/",
        views_groups.mine_member_remove,
        name="mine_member_remove",
    ),
    path(
        "groups/mine/<int:pk>/members/<int:membership_pk>/role/",
        views_groups.mine_member_role,
        name="mine_member_role",
    ),
    path("groups/invitation/<str:token>/", views_groups.invitation, name="invitation"),
]
