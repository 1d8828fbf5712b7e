from django.urls import path, re_path

from aftercare.api import views
from aftercare.api.api import api

urlpatterns = [
    path("api/v1/", views.api_index, name="api_index"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", views.api_not_found, name="api_not_found"),
    path("account/api-tokens/", views.token_list, name="api_tokens"),
    path("account/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
