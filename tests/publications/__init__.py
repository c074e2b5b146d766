"""Tests of the publications app: news, case stories, the talent bank."""
