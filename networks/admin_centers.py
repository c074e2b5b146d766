"""Admin: see networks/admin.py."""
