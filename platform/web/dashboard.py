"""The staff dashboard (filled in below)."""

from django.shortcuts import render

from ostoja.platform.web.access import staff_page


@staff_page()
def dashboard(request):
    return render(request, "web/dashboard.html", {})
