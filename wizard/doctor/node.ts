/** Which Node.js runs census-pinpoint: 20.19 or newer; Node 20 works but is past its end of life. */
import { checkOf, type DoctorCheck } from "./report.js";

const CHECK = checkOf("node", "Node.js version");

/** The README's Prerequisites note, shortened to what a user does about it. */
export const NODE_20_NOTE =
  "Node 20 is past its end of life. AWS SDK for JavaScript v3 releases after the first week of January 2027 " +
  "require Node 22: `npm ci` in a clone installs the locked SDK, which runs on Node 20, but a fresh " +
  "`npx census-pinpoint` gets the newest. Use Node 22 or newer.";

/** `version` as process.version gives it ("v20.19.0"). */
export function checkNode(version: string): DoctorCheck {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  const shown = `Node.js ${version.replace(/^v/, "")}`;
  if (major < 20 || (major === 20 && minor < 19)) {
    return CHECK.fail(`${shown}; census-pinpoint needs 20.19 or newer`, "Install Node.js 22 or newer (https://nodejs.org), then run census-pinpoint again.");
  }
  if (major < 22) return CHECK.warn(`${shown}: works, but past its end of life`, NODE_20_NOTE);
  return CHECK.ok(shown);
}
