export * from "./client";
export { DirectKernelClient, type DirectKernelOptions } from "./direct";
export { ServerKernelClient, type ServerKernelOptions } from "./server";
export { startJupyterServer, jupyterServerAvailable, pythonHasModules, SYSTEM_PYTHON, type JupyterServer, type JupyterServerOptions } from "./jupyter-server";
export * from "./kernelspec";
export { installNbextension, projectConfigDir, nbextensionSourceDir, NBEXTENSION_NAME, NBEXTENSION_REQUIRE, type NbextensionInstall } from "./nbextension";
export { newConnectionInfo, writeConnectionFile, freePorts, type ConnectionInfo } from "./connection";
export { startNnlabLab, nnlabLabMissing, nnlabLabDir } from "./nnlab-lab";
