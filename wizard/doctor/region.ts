/** The region census-pinpoint would use, and whether Amazon Pinpoint is offered there. */
import { InvalidInputError, validateRegion } from "../../infra/validation.js";
import type { PinpointRegion } from "../../infra/regions.js";
import { checkOf, type DoctorCheck } from "./report.js";

const CHECK = checkOf("region", "AWS region with Amazon Pinpoint");

export interface RegionCheck {
  check: DoctorCheck;
  region?: PinpointRegion;
}

/** `source` says where the region came from ("--region", "AWS_REGION", `profile "x"`). */
export function checkRegion(region: string | undefined, source: string | undefined): RegionCheck {
  if (region === undefined || region.trim() === "") {
    return { check: CHECK.warn("no region set", "Pass --region <region> (the region of your Pinpoint project), set AWS_REGION, or set `region` in your AWS profile; setup asks in a terminal.") };
  }
  try {
    const valid = validateRegion(region.trim());
    return { check: CHECK.ok(`${valid} (from ${source ?? "--region"}): Amazon Pinpoint is offered there`), region: valid };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return { check: CHECK.fail(`${region} (from ${source ?? "--region"})`, error.message) };
  }
}
