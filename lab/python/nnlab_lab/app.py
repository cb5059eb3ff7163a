"""The LabServerApp that serves lab/build (made by `npm run build -w lab`)."""
import json
import os

from jupyter_core.paths import jupyter_config_dir
from jupyterlab_server import LabServerApp
from traitlets import default

from .events import EventsSubscribeHandler
from .identity import IdentityHandler

HERE = os.path.dirname(os.path.abspath(__file__))
# lab/python/nnlab_lab -> lab/
LAB_DIR = os.path.normpath(os.path.join(HERE, "..", ".."))
BUILD_DIR = os.environ.get("NNLAB_LAB_BUILD") or os.path.join(LAB_DIR, "build")


def _version():
    with open(os.path.join(LAB_DIR, "package.json"), encoding="utf-8") as f:
        return json.load(f)["version"]


class NnlabLabApp(LabServerApp):
    name = "nnlab_lab"
    app_name = "JupyterLab (nnlab)"
    extension_url = "/lab"
    default_url = "/lab"
    app_url = "/lab"
    load_other_extensions = True
    file_url_prefix = "/lab/tree"

    static_dir = os.path.join(BUILD_DIR, "static")
    templates_dir = os.path.join(LAB_DIR, "templates")
    schemas_dir = os.path.join(BUILD_DIR, "schemas")
    themes_dir = os.path.join(BUILD_DIR, "themes")
    app_settings_dir = os.path.join(BUILD_DIR, "app-settings")

    @default("app_version")
    def _default_app_version(self):
        return _version()

    # Settings and workspaces are the user's: they outlive a build and a session, so they live
    # under the Jupyter config dir (JupyterLab keeps them in the same place, lab/...).
    @default("user_settings_dir")
    def _default_user_settings_dir(self):
        return os.path.join(jupyter_config_dir(), "nnlab-lab", "user-settings")

    @default("workspaces_dir")
    def _default_workspaces_dir(self):
        return os.path.join(jupyter_config_dir(), "nnlab-lab", "workspaces")

    def initialize_settings(self):
        if not os.path.isfile(os.path.join(self.static_dir, "bundle.js")):
            raise RuntimeError(
                f"nnlab_lab: the front end is not built ({self.static_dir}/bundle.js is missing); "
                "run `npm run build -w lab` in the nnlab checkout"
            )
        super().initialize_settings()

    def initialize_handlers(self):
        super().initialize_handlers()
        # Not under extension_url: both are server routes in Jupyter Server 2, which 1.x lacks.
        base = self.serverapp.base_url
        self.serverapp.web_app.add_handlers(".*$", [
            (base + "api/me", IdentityHandler),
            (base + "api/events/subscribe", EventsSubscribeHandler),
        ])
