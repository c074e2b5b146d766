"""Spaces (協働ラボ ミーティングスペース, スペースA・B), their rules, bookings and closures."""

__all__: list[str] = []
