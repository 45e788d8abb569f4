// Entry point of `pulumi up` in this repo (Pulumi.yaml `main`): the default export is the stack's
// outputs. Named exports could not leave out `previousAccessKeyId` outside a key rotation, and the
// engine warns about every stack output that is undefined.
import { censusPinpointStack } from "./stack.js";

export default censusPinpointStack();
