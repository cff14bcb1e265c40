def center(request):
    return {"center": getattr(request, "center", None)}
