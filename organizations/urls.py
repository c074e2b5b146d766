from .urls_booking import urlpatterns as space_urls
from .urls_groups import urlpatterns as group_urls
from .urls_hub import urlpatterns as hub_urls

app_name = "organizations"

urlpatterns = [*group_urls, *space_urls, *hub_urls]
