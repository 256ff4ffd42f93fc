"""Admin pages (blueprint "admin", under /admin): staff accounts, the access log, settings and the queue export.

Each module adds its routes to this one blueprint; every route needs an admin-only
permission (assistant/staff_roles.py).
"""

from flask import Blueprint

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

from console.views.admin import audit_log, export, settings_page, users  # noqa: E402  (they add routes to blueprint)

__all__ = ["audit_log", "blueprint", "export", "settings_page", "users"]
