from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def url_or_none(name, *args):
    """``{% url_or_none "cases:case" pk as link %}``: the URL, or None when the page is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
