/**
 * What `status` found, turned into findings: what differs in plain words and what to do, and the exit
 * decision. The fixes name only commands that change what the stack holds, or take off something
 * added by hand without deleting it: nothing the stack does not own is named for deletion.
 */
import { KEY_AGE_LIMIT_DAYS } from "../aws/keyAge.js";
import type { PinpointProjectLookup } from "../aws/pinpoint.js";
import type { ExtraAccess } from "../aws/userAccess.js";
import { VerificationError } from "../errors.js";
import type { Drift } from "../pulumi/drift.js";
import type { RotationState } from "../pulumi/keyRotation.js";
import type { Finding, KeyStatus, StatusReport } from "./report.js";

/** What a checked stack showed. */
export interface StackFacts {
  region: string;
  projectId: string;
  censusUserName: string;
  drift: Drift[];
  extraAccess: ExtraAccess[];
  keys: KeyStatus[];
  rotation: RotationState;
  pinpoint: PinpointProjectLookup;
}

/** The command lines a fix names, for this stack and backend. */
export interface FixCommands {
  setup: string;
  rotateKey: string;
  finishRotation: string;
  teardown: string;
}

/** "lifecycle rule of bucket B" is the lifecycle rule of the bucket B a finding is about: "lifecycle rule" is enough. */
function ownPart(child: string, parentId: string | undefined): string {
  const suffix = parentId === undefined ? undefined : / of \w+ (\S+)$/.exec(child);
  return suffix && suffix[1] === parentId ? child.slice(0, suffix.index) : child;
}

function inWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

const KEY_TYPES = new Set(["aws:iam/user:User", "aws:iam/accessKey:AccessKey"]);

function goneFinding(drift: Extract<Drift, { change: "gone" }>, rotation: RotationState, commands: FixCommands): Finding {
  const withIt = drift.alsoGone.length > 0 ? `, and with it its ${inWords(drift.alsoGone.map((child) => ownPart(child, drift.id)))}` : "";
  const problem = `${drift.description} is gone from AWS (deleted outside census-pinpoint since the last update)${withIt}.`;
  // The key a rotation is about to delete anyway: finishing it records that it is gone, where setup would make it again.
  if (drift.type === "aws:iam/accessKey:AccessKey" && "previousAccessKeyId" in rotation && drift.id === rotation.previousAccessKeyId) {
    return { kind: "gone", problem, todo: `It was the previous key of a rotation: \`${commands.finishRotation}\` completes the rotation without it.`, drift };
  }
  const newKey = KEY_TYPES.has(drift.type) ? " It makes a new access key: paste it into Census." : "";
  return { kind: "gone", problem, todo: `Run \`${commands.setup}\`: it reads AWS first, then makes again what the stack holds.${newKey}`, drift };
}

function changedFinding(drift: Extract<Drift, { change: "changed" }>, commands: FixCommands): Finding {
  const paths = drift.properties.length > 0 ? ` (${drift.properties.map((property) => property.path).join(", ")})` : "";
  return {
    kind: "changed",
    problem: `${drift.description} was changed in AWS since the last update${paths}.`,
    todo: `Run \`${commands.setup}\`: it reads AWS first and puts back what the stack holds. A change meant to stay belongs in the stack (\`census-pinpoint setup --help\`): the next setup undoes one made by hand.`,
    drift,
  };
}

const WIDER = "so Census's key may do whatever it grants (the stack gives the user its permissions through its group alone, Security Hub IAM.2)";

function accessFinding(access: ExtraAccess): Finding {
  const finding = (problem: string, todo: string): Finding => ({ kind: "extra-access", problem, todo, access });
  switch (access.kind) {
    case "user-managed-policy":
      return finding(
        `IAM user ${access.userName} has the policy ${access.policyName} (${access.policyArn}) attached, which the stack did not attach, ${WIDER}.`,
        `If nothing else needs it there, detach it (the policy itself stays): \`aws iam detach-user-policy --user-name ${access.userName} --policy-arn ${access.policyArn}\``,
      );
    case "user-inline-policy":
      return finding(
        `IAM user ${access.userName} has the inline policy ${access.policyName}, which the stack did not add, ${WIDER}.`,
        `It is not the stack's, so census-pinpoint leaves it: read it with \`aws iam get-user-policy --user-name ${access.userName} --policy-name ${access.policyName}\` and settle it with whoever added it.`,
      );
    case "user-group":
      return finding(
        `IAM user ${access.userName} is also in the group ${access.groupName}, which the stack did not put it in, ${WIDER}.`,
        `If nothing else needs it there, take the user out of that group (the group stays): \`aws iam remove-user-from-group --user-name ${access.userName} --group-name ${access.groupName}\``,
      );
    case "group-managed-policy":
      return finding(
        `The stack's IAM group ${access.groupName} has the policy ${access.policyName} (${access.policyArn}) attached, which the stack did not attach, so Census's key may do whatever it grants.`,
        `If nothing else needs it there, detach it (the policy itself stays): \`aws iam detach-group-policy --group-name ${access.groupName} --policy-arn ${access.policyArn}\``,
      );
    case "group-inline-policy":
      return finding(
        `The stack's IAM group ${access.groupName} has the inline policy ${access.policyName}, which the stack did not add, so Census's key may do whatever it grants.`,
        `It is not the stack's, so census-pinpoint leaves it: read it with \`aws iam get-group-policy --group-name ${access.groupName} --policy-name ${access.policyName}\` and settle it with whoever added it.`,
      );
  }
}

function lastUseText(key: KeyStatus): string {
  return key.lastUsed === null ? "never used" : `last used ${key.lastUsed.at.slice(0, 16).replace("T", " ")} UTC`;
}

function keyFindings(facts: StackFacts, commands: FixCommands): Finding[] {
  return facts.keys.flatMap((key): Finding[] => {
    if (key.heldAs === "not-in-stack") {
      return [
        {
          kind: "extra-key",
          problem: `IAM user ${facts.censusUserName} has an access key ${key.accessKeyId} (${key.active ? "active" : "inactive"}, ${lastUseText(key)}) that the stack did not make.`,
          todo: `Find out who holds it; if nobody should, deactivate it (it can be activated again): \`aws iam update-access-key --user-name ${facts.censusUserName} --access-key-id ${key.accessKeyId} --status Inactive\``,
          accessKeyId: key.accessKeyId,
        },
      ];
    }
    if (key.heldAs === "current" && key.ageDays !== null && key.ageDays >= KEY_AGE_LIMIT_DAYS) {
      return [
        {
          kind: "key-age",
          problem: `Census's access key ${key.accessKeyId} is ${key.ageDays} days old; Security Hub control IAM.3 expects keys rotated within ${KEY_AGE_LIMIT_DAYS} days.`,
          todo: `Rotate it without downtime: \`${commands.rotateKey}\``,
          accessKeyId: key.accessKeyId,
        },
      ];
    }
    return [];
  });
}

function rotationFinding(rotation: RotationState, keys: KeyStatus[], commands: FixCommands): Finding | undefined {
  switch (rotation.phase) {
    case "idle":
      return undefined;
    case "pending": {
      const previous = keys.find((key) => key.accessKeyId === rotation.previousAccessKeyId);
      return {
        kind: "rotation",
        problem: `A key rotation is pending: the new key and the previous key ${rotation.previousAccessKeyId}${previous ? ` (${lastUseText(previous)})` : ""} both work.`,
        todo: `Once Census uses the new key and its connection test passed, delete the previous one: \`${commands.finishRotation}\``,
      };
    }
    case "starting":
      return {
        kind: "rotation",
        problem: "A key rotation was started but its update did not complete: the new key may not exist yet. Census's current key still works.",
        todo: `Run \`${commands.rotateKey}\` to complete it.`,
      };
    case "finishing":
      return {
        kind: "rotation",
        problem: `rotate-key --finish stopped before the previous key ${rotation.previousAccessKeyId} was deleted.`,
        todo: `Run \`${commands.finishRotation}\` to complete it.`,
      };
  }
}

function pinpointFinding(pinpoint: PinpointProjectLookup, facts: StackFacts, commands: FixCommands): Finding | undefined {
  switch (pinpoint.status) {
    case "found":
      return undefined;
    case "not-found":
      return {
        kind: "pinpoint",
        problem: `There is no Pinpoint project ${facts.projectId} in ${facts.region} any more: Census cannot import segments into it.`,
        todo: `If Census syncs to another project now, run census-pinpoint setup for that one; if the project was deleted for good, \`${commands.teardown}\` deletes what census-pinpoint made for it.`,
      };
    case "unavailable":
      return {
        kind: "pinpoint",
        problem: `Amazon Pinpoint did not answer for project ${facts.projectId} in ${facts.region}: ${pinpoint.reason}.`,
        todo: "If that is AWS refusing Pinpoint itself, nothing in this setup can fix it; otherwise run census-pinpoint status again later.",
      };
  }
}

export function findingsOf(facts: StackFacts, commands: FixCommands): Finding[] {
  return [
    ...facts.drift.map((drift) => (drift.change === "gone" ? goneFinding(drift, facts.rotation, commands) : changedFinding(drift, commands))),
    ...facts.extraAccess.map(accessFinding),
    ...keyFindings(facts, commands),
    ...[rotationFinding(facts.rotation, facts.keys, commands), pinpointFinding(facts.pinpoint, facts, commands)].filter((finding) => finding !== undefined),
  ];
}

/** Exit 5 when any stack has a finding (VerificationError), 0 otherwise (undefined). */
export function statusFailure(report: StatusReport, { json }: { json: boolean }): VerificationError | undefined {
  const flagged = report.stacks.filter((stack) => stack.findings.length > 0);
  if (flagged.length === 0) return undefined;
  const count = flagged.reduce((sum, stack) => sum + stack.findings.length, 0);
  return new VerificationError(
    `${count} finding${count === 1 ? " needs" : "s need"} attention (stack${flagged.length === 1 ? "" : "s"} ${flagged.map((stack) => stack.stackName).join(", ")}).`,
    `${json ? "Each finding's `todo` says" : "Under each ✘ is"} what to do; then run census-pinpoint status again.`,
  );
}
