"""Hearings (ヒアリング), support requests from ward centers, and the know-how library."""

__all__: list[str] = []
