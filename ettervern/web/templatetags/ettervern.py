from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """``{{ labels|get_item:code }}``: look a code up in a dict of labels."""
    return mapping.get(key, "") if mapping else ""
