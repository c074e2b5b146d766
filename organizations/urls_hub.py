from django.urls import path

from . import views_hub

urlpatterns = [
    path("hub/", views_hub.hub_index, name="hub"),
    path("hub/partners/", views_hub.hub_partners, name="hub_partners"),
    path("hub/mine/", views_hub.hub_mine, name="hub_mine"),
    path("hub/needs/new/", views_hub.hub_need_new, name="hub_need_new"),
    path("hub/offers/new/", views_hub.hub_offer_new, name="hub_offer_new"),
    path("hub/posts/<int:pk>/", views_hub.hub_post, name="hub_post"),
    path("hub/posts/<int:pk>/close/", views_hub.hub_post_close_view, name="hub_post_close"),
    path("hub/posts/<int:pk>/introduce/", views_hub.hub_introduce, name="hub_introduce"),
]
