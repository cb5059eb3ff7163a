"""nnlab's JupyterLab 4 front end, served by Debian's Jupyter Server 1.23 through jupyterlab_server.

Debian ships python3-jupyter-server 1.23 and python3-jupyterlab-server 2.16 but no `jupyterlab`
package, and no Python registry is reachable here. The front end is built from JupyterLab's npm
packages (`lab/build.mjs`); this module is the server side: a `LabServerApp` (page config, settings
schemas, themes, workspaces, federated extensions) plus the one REST route JupyterLab 4 needs that
Jupyter Server 1.x lacks (`/api/me`, see identity.py).

Load it without installing anything:
    PYTHONPATH=<repo>/lab/python python3 -m jupyter_server \
        --ServerApp.jpserver_extensions=nnlab_lab=True --ServerApp.default_url=/lab
"""
from .app import NnlabLabApp


def _jupyter_server_extension_points():
    return [{"module": "nnlab_lab", "app": NnlabLabApp}]


# Jupyter Server 1.x also looks for the older name.
_jupyter_server_extension_paths = _jupyter_server_extension_points
