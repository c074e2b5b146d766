"""ネットワーク会議: meetings, agenda, RSVPs, materials, minutes and action items."""

__all__: list[str] = []
