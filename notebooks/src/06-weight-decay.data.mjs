#!/usr/bin/env node
/**
 * The data, initial weights and sample order of notebook 06, drawn exactly as the notebook draws them
 * (same seeds, same calls, in the same order), printed as JSON for 06-weight-decay.torch.py:
 *
 *   node notebooks/src/06-weight-decay.data.mjs | /usr/bin/python3 notebooks/src/06-weight-decay.torch.py
 *
 * Needs the built library (npm run build).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const nn = require("../../kernel-lib/dist/index.js");

const numTrain = 10, numTest = 10, numFeatures = 200, numEpochs = 100;
nn.seed(0);
const trueW = nn.tensor(new Array(numFeatures).fill(0.01)).reshape(numFeatures, 1);
const samples = nn.randn([numTrain + numTest, numFeatures]);
const labels = samples.matmul(trueW).add(0.5).add(nn.randn([numTrain + numTest, 1]).mul(0.01));
const shuffler = new nn.Generator(42);
const orders = Array.from({ length: numEpochs }, () => Array.from(shuffler.permutation(numTrain)));
const w0 = nn.randn([numFeatures, 1], { generator: new nn.Generator(7) });
process.stdout.write(JSON.stringify({
  numTrain, numEpochs, lr: 0.003, lambdas: [0, 3],
  samples: samples.toArray(), labels: labels.toArray(), orders, w0: w0.toArray(),
}));
