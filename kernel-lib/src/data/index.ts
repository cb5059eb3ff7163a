/** Data: datasets, the seeded DataLoader, synthetic sets and MNIST digits. */
export { TensorDataset, collate } from "./dataset";
export type { Dataset } from "./dataset";
export { DataLoader } from "./loader";
export type { DataLoaderOptions } from "./loader";
export { xor, spirals, moons, circles, linearRegression } from "./synthetic";
export type { LabelledData, RegressionData } from "./synthetic";
export { mnist } from "./mnist";
export type { MnistOptions, MnistData } from "./mnist";
