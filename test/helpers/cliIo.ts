/** Streams for `main(argv, io)` that record what the CLI wrote, as a terminal or as pipes. */
import type { CliIo } from "../../wizard/cli.js";

export interface CapturedIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
}

/** `terminal: true` makes stdin and stderr TTYs (interactive); colour stays off unless env allows it. */
export function captureIo(env: NodeJS.ProcessEnv, { terminal = false }: { terminal?: boolean } = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[], isTTY: boolean) =>
    Object.assign(
      {
        write(chunk: string | Uint8Array) {
          sink.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
          return true;
        },
      } as unknown as NodeJS.WritableStream,
      { isTTY },
    );
  return {
    io: { stdout: stream(out, false), stderr: stream(err, terminal), stdin: { isTTY: terminal }, env: { NO_COLOR: "1", ...env } },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}
