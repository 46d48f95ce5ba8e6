from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "ettervern.offers"
    label = "offers"
