"""`python3 -m nnlab_lab`: Jupyter Server with the nnlab JupyterLab as its default app."""
from .app import NnlabLabApp

NnlabLabApp.launch_instance()
