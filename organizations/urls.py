from .urls_groups import urlpatterns as group_urls
from .urls_hub import urlpatterns as hub_urls
from .urls_spaces import urlpatterns as space_urls

app_name = "organizations"

urlpatterns = [*group_urls, *space_urls, *hub_urls]
