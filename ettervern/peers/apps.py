from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "ettervern.peers"
    label = "peers"
