"""The page where each user makes and revokes their own API tokens."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from aftercare.accounts.models import User
from aftercare.accounts.scoping import signed_in_required
from aftercare.api import tokens
from aftercare.api.errors import body as error_body
from aftercare.api.models import ApiToken
from aftercare.core.fields import FreeTextField

MAX_ACTIVE_TOKENS = 20


class TokenForm(forms.Form):
    name = FreeTextField(
        label=_l("What is this token for?"),
        max_length=100,
        help_text=_l("A name to recognise it later, such as the app that uses it."),
        error_messages={
            "required": _l("Give the token a name."),
            "max_length": _l("Keep the name under 100 characters."),
        },
    )


@signed_in_required
def token_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        if tokens.active_tokens(user).count() >= MAX_ACTIVE_TOKENS:
            form.add_error(None, _("Revoke a token you no longer use before making another."))
        else:
            # Shown in this response only: the page never shows it again.
            _token, new_token = tokens.issue(user, form.cleaned_data["name"])
            form = TokenForm()
    placeholder = _("YOUR_TOKEN")
    # A call any token may make, whatever its user's role, at the site's public address.
    example_url = settings.SITE_URL + reverse("api:api_whoami")
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(user=user),
            "placeholder": placeholder,
            "example_command": f'curl -H "Authorization: Bearer {placeholder}" {example_url}',
            "docs_url": settings.SITE_URL + reverse("api:openapi-view"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@signed_in_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    tokens.revoke(token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("api_tokens")


def api_index(request: HttpRequest) -> JsonResponse:
    """Where the API's description lives."""
    return JsonResponse(
        {"openapi": reverse("api:openapi-json"), "docs": reverse("api:openapi-view")}
    )


@csrf_exempt  # it changes nothing, and answers in JSON whatever the caller sends
def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """An address under /api/v1/ that is no operation: 404 in the API's error shape."""
    return JsonResponse(error_body(_("Not found.")), status=404)
