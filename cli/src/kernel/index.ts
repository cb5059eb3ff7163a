export * from "./client";
export { DirectKernelClient, type DirectKernelOptions } from "./direct";
export * from "./kernelspec";
export { newConnectionInfo, writeConnectionFile, freePorts, type ConnectionInfo } from "./connection";
