// The policy pack `pulumi up --policy-pack policy` runs. Constructing it starts the pack's gRPC server,
// so nothing but the Pulumi CLI's policy runner loads this module; tests use ./rules.js instead.
import { PolicyPack } from "@pulumi/policy";
import { postureRules } from "./rules.js";

new PolicyPack("census-pinpoint-posture", {
  description: "Security posture of a census-pinpoint stack: hardened staging bucket, least-privilege IAM.",
  policies: postureRules,
});
