from typing import Any

from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {"clinic": user.clinic if user.is_authenticated else None}
