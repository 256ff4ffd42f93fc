"""The console's pages, one blueprint per area (registered by console.app.create_app)."""

from console.views import account, admin, conversations, crises, queue, request_page

BLUEPRINTS = [queue.blueprint, request_page.blueprint, account.blueprint, admin.blueprint, crises.blueprint,
              conversations.blueprint]
