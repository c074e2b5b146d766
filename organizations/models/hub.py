"""市民協働HUB: partners (universities, companies) and the needs/offers board."""

__all__: list[str] = []
