/**
 * Worker-thread entry for expression judgements (see expression-judge.ts): one request in, one
 * verdict out. Whatever mathjs does with a hostile string happens here, where the grader can
 * stop it, not on the thread that drives every kernel.
 */
import { parentPort } from "node:worker_threads";
import { type ExpressionVerdict, expressionsEquivalent, matchesSamples } from "./expression";
import type { ExpressionRequest } from "./expression-judge";

parentPort?.on("message", (req: ExpressionRequest & { seq: number }) => {
  let verdict: ExpressionVerdict;
  try {
    verdict = req.samples ? matchesSamples(req.student, req.samples) : expressionsEquivalent(req.student, req.expected, req.variables, req.domain);
  } catch (e) {
    verdict = { passed: false, message: `could not judge the expression: ${(e as Error).message}` };
  }
  parentPort!.postMessage({ seq: req.seq, verdict });
});
// mathjs is loaded: the grader starts an answer's time budget from here.
parentPort?.postMessage({ ready: true });
