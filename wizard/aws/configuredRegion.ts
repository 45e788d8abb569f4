/**
 * What the AWS profile files say about a profile: its region (the default of the region question, or
 * the region itself when nothing may be asked), and whether the profiles its credentials need exist.
 * Read by hand rather than through the SDK: loading an SDK client before the first prompt would cost
 * more than the rest of start-up. The reading follows the SDK's rules (@smithy/core's shared config
 * files), so a profile means here what it means to the AWS calls that use it.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

type Settings = Record<string, string>;

export interface AwsProfileFiles {
  /** AWS_CONFIG_FILE, default ~/.aws/config. */
  configFile: string;
  /** AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials. */
  credentialsFile: string;
  /** The config file's `[default]` and `[profile <name>]` sections, by profile name. */
  config: Map<string, Settings>;
  /** The credentials file's `[<name>]` sections. */
  credentials: Map<string, Settings>;
  /**
   * Profile names the config file has as `[<name>]`: the AWS CLI and SDKs ignore such a section there
   * (only the credentials file spells a profile that way), and it is a common slip.
   */
  misspelledInConfig: Set<string>;
}

// The SDK's home: HOME first, as the AWS CLI has it, then the operating system's idea of it.
function awsHome(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || homedir();
}

function filePath(variable: string | undefined, name: string, env: NodeJS.ProcessEnv): string {
  const path = variable || join(awsHome(env), ".aws", name);
  return path.startsWith("~/") ? join(awsHome(env), path.slice(2)) : path;
}

interface Section {
  /** "profile", "sso-session", "services", or undefined for a plain `[name]`. */
  kind?: string;
  name: string;
  settings: Settings;
}

const SECTION_KINDS = new Set(["profile", "sso-session", "services"]);

/** The sections of an ini file as the SDK parses them: comments, `[kind name]` headers, indented sub-settings. */
function parseSections(text: string): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  let subSection: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.split(/(^|\s)[;#]/)[0]!.trim();
    if (line.startsWith("[") && line.endsWith("]")) {
      subSection = undefined;
      const header = line.slice(1, -1);
      const prefixed = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/.exec(header);
      current = prefixed ? (SECTION_KINDS.has(prefixed[1]!) ? { kind: prefixed[1], name: prefixed[3]!, settings: {} } : undefined) : { name: header, settings: {} };
      if (current) sections.push(current);
      continue;
    }
    const equals = line.indexOf("=");
    if (!current || equals <= 0) continue;
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (value === "") subSection = key;
    else {
      if (subSection !== undefined && raw.trimStart() === raw) subSection = undefined;
      current.settings[subSection === undefined ? key : `${subSection}.${key}`] = value;
    }
  }
  return sections;
}

async function readSections(path: string): Promise<Section[]> {
  try {
    return parseSections(await readFile(path, "utf8"));
  } catch {
    // A missing or unreadable file holds no profiles, for the SDK too.
    return [];
  }
}

function byName(sections: Section[]): Map<string, Settings> {
  const profiles = new Map<string, Settings>();
  for (const { name, settings } of sections) profiles.set(name, { ...profiles.get(name), ...settings });
  return profiles;
}

export async function readAwsProfiles(env: NodeJS.ProcessEnv): Promise<AwsProfileFiles> {
  const configFile = filePath(env.AWS_CONFIG_FILE, "config", env);
  const credentialsFile = filePath(env.AWS_SHARED_CREDENTIALS_FILE, "credentials", env);
  const [configSections, credentialsSections] = await Promise.all([readSections(configFile), readSections(credentialsFile)]);
  const plain = configSections.filter((section) => section.kind === undefined);
  return {
    configFile,
    credentialsFile,
    // `[profile default]` wins over `[default]`, as in the SDK.
    config: byName([...plain.filter((section) => section.name === "default"), ...configSections.filter((section) => section.kind === "profile")]),
    credentials: byName(credentialsSections.filter((section) => section.kind === undefined)),
    misspelledInConfig: new Set(plain.map((section) => section.name).filter((name) => name !== "default")),
  };
}

/** The profile's settings, the credentials file's winning as in the SDK; undefined when neither file has it. */
function settingsOf(files: AwsProfileFiles, profile: string): Settings | undefined {
  if (!files.config.has(profile) && !files.credentials.has(profile)) return undefined;
  return { ...files.config.get(profile), ...files.credentials.get(profile) };
}

/**
 * The `region` of the profile (--profile, else AWS_PROFILE, else default); undefined if none. The
 * credentials file's value wins, as in the SDK. A source_profile's region is not inherited: neither
 * the SDK nor the AWS CLI does that, and the AWS calls would then go elsewhere than the resources.
 */
export async function configuredRegion(profile: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const files = await readAwsProfiles(env);
  return settingsOf(files, profile || env.AWS_PROFILE || "default")?.region;
}

/** A profile that credentials need and the files do not have; `via` are the profiles that lead to it through source_profile. */
export interface MissingProfile {
  name: string;
  via: string[];
}

/**
 * The first profile that `profile`'s credentials need and neither file has: the profile itself, or a
 * source_profile along its chain (followed where the SDK follows it: with a role_arn to assume).
 */
export function missingProfile(files: AwsProfileFiles, profile: string): MissingProfile | undefined {
  const via: string[] = [];
  for (let name = profile; !via.includes(name); ) {
    const settings = settingsOf(files, name);
    if (settings === undefined) return { name, via };
    const source = settings.role_arn === undefined ? undefined : settings.source_profile;
    if (source === undefined) return undefined;
    via.push(name);
    name = source;
  }
  // A cycle: the SDK's own message names it.
  return undefined;
}
