// Validates the KEDA objects given on standard input (a JSON array) against the schemas of KEDA's CRDs that
// @kubernetes-models/keda ships; prints one line per invalid object and exits 1 if any.
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";

const models = { ScaledObject, TriggerAuthentication };
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
let invalid = 0;
for (const object of JSON.parse(Buffer.concat(chunks).toString("utf8"))) {
  const Model = models[object.kind];
  const name = `${object.kind} ${object.metadata?.name}`;
  if (!Model || object.apiVersion !== "keda.sh/v1alpha1") {
    console.log(`${name}: not a keda.sh/v1alpha1 kind this validator has`);
    invalid++;
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    console.log(`${name}: ${e.message}`);
    invalid++;
  }
}
process.exit(invalid === 0 ? 0 : 1);
