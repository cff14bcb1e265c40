from django.shortcuts import render


def center_home(request):
    return render(request, "center/home.html")
