"""Admin: see organizations/admin.py."""
