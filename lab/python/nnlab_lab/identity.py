"""GET /api/me for Jupyter Server 1.x.

JupyterLab 4's UserManager (@jupyterlab/services 7) asks GET /api/me, which Jupyter Server 2
added with its IdentityProvider. Jupyter Server 1.23 answers 404, and the user service then
never becomes ready. The answer is built from what 1.23 knows: the authenticated user of the
request (its login handler's `get_current_user`, a name or "anonymous" under token auth) and its
Authorizer for the permissions asked for, in Jupyter Server 2's response shape.
"""
import json

from jupyter_server.base.handlers import APIHandler
from tornado import web


def _initials(name):
    parts = [p for p in name.replace("_", " ").replace("-", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


class IdentityHandler(APIHandler):
    @web.authenticated
    def get(self):
        user = self.current_user
        if isinstance(user, dict):
            username = str(user.get("name") or user.get("username") or "anonymous")
        else:
            username = str(user or "anonymous")
        raw = self.get_argument("permissions", "{}")
        try:
            asked = json.loads(raw)
        except ValueError:
            raise web.HTTPError(400, f"permissions should be a JSON dict, got {raw!r}")
        if not isinstance(asked, dict):
            raise web.HTTPError(400, f"permissions should be a JSON dict, got {raw!r}")
        authorizer = self.authorizer
        permissions = {}
        for resource, actions in asked.items():
            if not isinstance(actions, list):
                raise web.HTTPError(400, f"permissions[{resource!r}] should be a list of actions")
            permissions[resource] = [
                a for a in actions
                if authorizer.is_authorized(self, user, a, resource)
            ]
        self.finish(json.dumps({
            "identity": {
                "username": username,
                "name": username,
                "display_name": username,
                "initials": _initials(username),
                "avatar_url": None,
                "color": None,
            },
            "permissions": permissions,
        }))
