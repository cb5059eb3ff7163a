/**
 * Entry of the prebuilt JupyterLab extension @nnlab/jupyterlab-plotly (lab/extension): the same
 * renderer as the app's, for a full JupyterLab 4 that loads it through module federation.
 */
import { plotlyExtension } from "./renderer";

export default plotlyExtension("federated");
