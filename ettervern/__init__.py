"""Ettervern: software for peer-support aftercare services."""
