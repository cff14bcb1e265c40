from django.shortcuts import render


def center_home(request):
    return render(request, "center/home.html")


def platform_home(request):
    return render(request, "platform/home.html")
