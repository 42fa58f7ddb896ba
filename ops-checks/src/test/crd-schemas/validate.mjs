// Validates the objects given on standard input (a JSON array) against the schemas of their CRDs, as
// @kubernetes-models/keda and @kubernetes-models/cert-manager ship them; prints one line per invalid object and
// exits 1 if any.
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { Issuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer";

const models = {
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
  "cert-manager.io/v1/Certificate": Certificate,
  "cert-manager.io/v1/Issuer": Issuer,
};
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
let invalid = 0;
for (const object of JSON.parse(Buffer.concat(chunks).toString("utf8"))) {
  const type = `${object.apiVersion}/${object.kind}`;
  const Model = models[type];
  const name = `${object.kind} ${object.metadata?.name}`;
  if (!Model) {
    console.log(`${name}: ${type} is not a kind this validator has`);
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
