from .urls_meetings import urlpatterns as meeting_urls
from .urls_support import urlpatterns as support_urls

app_name = "networks"

urlpatterns = [*meeting_urls, *support_urls]
