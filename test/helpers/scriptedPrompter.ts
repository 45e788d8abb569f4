/** A Prompter that answers from per-question queues, records what was asked, and fails on anything unscripted. */
import type { Prompter } from "../../wizard/prompts.js";

type Question = Exclude<keyof Prompter, "withSignal">;

/**
 * Scripted in place of an answer: the user has not answered yet. The question stays open until the
 * prompter's signal (`withSignal`) ends it, as a failure found meanwhile does; without one, for ever.
 */
export const NO_ANSWER: unique symbol = Symbol("no answer yet");

/** Per question, its answers in order: a value, an Error to reject with, NO_ANSWER, or a promise of an answer given later. */
export type Script = {
  [K in Question]?: Array<Awaited<ReturnType<Prompter[K]>> | Promise<Awaited<ReturnType<Prompter[K]>>> | Error | typeof NO_ANSWER>;
};

export function scriptedPrompter(script: Script) {
  const asked: Array<{ question: Question; args: unknown[] }> = [];
  /** The questions a signal ended, in order, with what they rejected with. */
  const ended: Array<{ question: Question; reason: unknown }> = [];
  const queues = new Map(Object.entries(script).map(([question, answers]) => [question, [...(answers as unknown[])]]));

  const answer = (question: Question, signal: AbortSignal | undefined, args: unknown[]): Promise<unknown> => {
    asked.push({ question, args });
    const answers = queues.get(question);
    if (!answers || answers.length === 0) return Promise.reject(new Error(`unexpected question: ${question}(${JSON.stringify(args)})`));
    const next = answers.shift();
    if (signal?.aborted) {
      ended.push({ question, reason: signal.reason });
      return Promise.reject(signal.reason);
    }
    if (next instanceof Error) return Promise.reject(next);
    if (next !== NO_ANSWER && !(next instanceof Promise)) return Promise.resolve(next);
    // Open until answered (a promise's value) or ended by the signal, whichever comes first.
    return new Promise((resolve, reject) => {
      let open = true;
      const settle = (finish: () => void) => {
        if (!open) return;
        open = false;
        finish();
      };
      if (next instanceof Promise) next.then((value) => settle(() => resolve(value)), (error: unknown) => settle(() => reject(error)));
      signal?.addEventListener("abort", () =>
        settle(() => {
          ended.push({ question, reason: signal.reason });
          reject(signal.reason);
        }),
      );
    });
  };

  const make = (signal: AbortSignal | undefined): Prompter =>
    new Proxy({} as Prompter, {
      get: (_, property: keyof Prompter) => {
        if (property === "withSignal") {
          return (other: AbortSignal) => make(signal ? AbortSignal.any([signal, other]) : other);
        }
        return async (...args: unknown[]) => answer(property, signal, args);
      },
    });

  const unanswered = () => [...queues].filter(([, answers]) => answers.length > 0).map(([question]) => question);
  return { prompter: make(undefined), asked, ended, questions: () => asked.map(({ question }) => question), unanswered };
}
