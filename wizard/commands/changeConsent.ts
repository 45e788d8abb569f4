/**
 * Before an update of an existing stack changes anything: the real plan from a Pulumi preview, one
 * line per resource by its AWS name, and for a change that takes away what Census depends on (the
 * staging bucket with its files, the Census user, its access key) the consequence in words and a
 * consent of its own: the project ID typed in a terminal, or --allow-replace. `--yes` alone never
 * allows such a change: it answers the ordinary question, not this one.
 */
import { countObjects } from "../aws/bucket.js";
import type { CommandContext } from "./context.js";
import { withFlags, type OptionsOf } from "./flagRegistry.js";
import { UsageError } from "../errors.js";
import { destructiveChanges, type PlannedChange } from "../pulumi/changePlan.js";
import type { AwsTarget } from "../aws/target.js";

const MARKS: Record<PlannedChange["op"], string> = { create: "+ create ", update: "~ update ", replace: "± replace", delete: "- delete " };

export interface ConsentScope {
  stackName: string;
  projectId: string;
  aws: AwsTarget;
  /** The old key a rotation is finishing with: its deletion has a question of its own. */
  expectedKeyDeletion?: string;
}

/** The plan as lines for stderr (stdout is for the command's result). */
export function planLines(stackName: string, plan: readonly PlannedChange[]): string[] {
  if (plan.length === 0) return [`Stack ${stackName} is as it should be in AWS: this update changes nothing.`];
  return [
    `What this update does to stack ${stackName}:`,
    ...plan.map((change) => `  ${MARKS[change.op]}  ${change.description}${change.becomes ? ` → ${change.becomes}` : ""}`),
  ];
}

async function filesIn(aws: AwsTarget, bucket: string | undefined): Promise<string> {
  if (!bucket) return "the files it holds";
  try {
    const { count, more } = await countObjects(aws, bucket);
    return more ? "the more than 1,000 files it holds" : `the ${count} file${count === 1 ? "" : "s"} it holds`;
  } catch {
    return "the files it holds (which could not be counted)";
  }
}

/** What a destructive change means for Census, in one sentence. */
export async function consequence(change: PlannedChange, aws: AwsTarget): Promise<string> {
  const replaced = change.op === "replace";
  const done = replaced ? "replaced" : "deleted";
  const census = replaced ? "Census stops syncing until you paste the new key into it" : "Census can no longer sync with it";
  switch (change.type) {
    case "aws:s3/bucket:Bucket":
      return replaced
        ? `The ${change.description} is replaced by ${change.becomes ?? "a new one"}, and deleted with ${await filesIn(aws, change.id)}; Census must then be given the new bucket name.`
        : `The ${change.description} is deleted, with ${await filesIn(aws, change.id)}.`;
    case "aws:iam/user:User":
      return `The ${change.description} is ${done}, and the access key Census uses with it: ${census}.`;
    default:
      return `The ${change.description} is ${done}: ${census}.`;
  }
}

/**
 * Shows the plan, and for a destructive change its consequence and the consent it needs. Throws a
 * UsageError (exit 2, nothing changed) when that consent is missing.
 */
export async function showPlanAndConsent(plan: readonly PlannedChange[], flags: OptionsOf<"allowReplace">, context: CommandContext, scope: ConsentScope): Promise<void> {
  const { render } = context;
  render.stop();
  for (const line of planLines(scope.stackName, plan)) render.info(line);
  const destructive = destructiveChanges([...plan], { expectedKeyDeletion: scope.expectedKeyDeletion });
  if (destructive.length === 0) return;
  const sentences = await Promise.all(destructive.map((change) => consequence(change, scope.aws)));
  for (const sentence of sentences) render.warning(sentence);
  const refusal = () =>
    new UsageError(
      withFlags`This update would replace or delete what Census depends on (listed above); ${"yes"} alone does not allow that, and nothing was changed.`,
      withFlags`If that is what you want, run it again with ${"allowReplace"} as well. To keep them instead, give the names and settings the stack has now (e.g. drop the ${"bucketName"} or ${"censusUserName"} that differs).`,
    );
  if (!context.io.mayAsk(flags.allowReplace === true, refusal)) return;
  if (await context.io.prompter().confirmTypedText(scope.projectId, `Type the project ID ${scope.projectId} to allow this`)) return;
  throw new UsageError(`What was typed is not the project ID ${scope.projectId}: nothing was changed.`, "Run it again and type the project ID exactly as shown, or keep the stack's current names.");
}
