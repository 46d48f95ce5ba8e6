from django.http import HttpResponseNotAllowed
from django.shortcuts import render


class FriendlyErrorsMiddleware:
    """Give a wrong HTTP method a Norwegian page (Django's 405 has an empty body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            allow = response["Allow"]
            response = render(request, "web/error.html", {"status": 405}, status=405)
            response["Allow"] = allow
        return response
