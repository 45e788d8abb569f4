/** A Prompter that answers from per-question queues, records what was asked, and fails on anything unscripted. */
import type { Prompter } from "../../wizard/prompts.js";

export type Script = { [K in keyof Prompter]?: Array<Awaited<ReturnType<Prompter[K]>> | Error> };

export function scriptedPrompter(script: Script) {
  const asked: Array<{ question: keyof Prompter; args: unknown[] }> = [];
  const queues = new Map(Object.entries(script).map(([question, answers]) => [question, [...(answers as unknown[])]]));
  const prompter = new Proxy({} as Prompter, {
    get: (_, question: keyof Prompter) => async (...args: unknown[]) => {
      asked.push({ question, args });
      const answers = queues.get(question);
      if (!answers || answers.length === 0) throw new Error(`unexpected question: ${question}(${JSON.stringify(args)})`);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  const unanswered = () => [...queues].filter(([, answers]) => answers.length > 0).map(([question]) => question);
  return { prompter, asked, questions: () => asked.map(({ question }) => question), unanswered };
}
