export * from "./client";
export { DirectKernelClient, type DirectKernelOptions } from "./direct";
export { ServerKernelClient, type ServerKernelOptions } from "./server";
export {
  spawnJupyter,
  jupyterServerAvailable,
  pythonHasModules,
  SYSTEM_PYTHON,
  type JupyterModule,
  type JupyterServer,
  type SpawnJupyterOptions,
} from "./spawn-jupyter";
export * from "./kernelspec";
export {
  installNbextension,
  projectConfigDir,
  nbextensionSourceDir,
  NBEXTENSION_NAME,
  NBEXTENSION_REQUIRE,
  type NbextensionInstall,
} from "./nbextension";
export { newConnectionInfo, writeConnectionFile, freePorts, type ConnectionInfo } from "./connection";
export { startNnlabLab, nnlabLabMissing, nnlabLabDir } from "./nnlab-lab";
