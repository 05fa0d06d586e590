import { wrongPoisonAnswers, type PoisonAnswer } from '@triggers/testing';

/** How the API answered another organization's poison in a round. */
export interface PoisonAnsweredCheck {
  sent: number;
  /** Answers that are not the documented 4xx problem or per-item results (a timeout is one). */
  wrong: number;
  /** A few distinct wrong answers, `name: why`. */
  samples: string[];
}

const SAMPLES = 3;

/** Counts the poison answers that are not the documented ones, with a few distinct samples. */
export function checkPoisonAnswered(answers: readonly PoisonAnswer[]): PoisonAnsweredCheck {
  const wrong = wrongPoisonAnswers(answers);
  return {
    sent: answers.length,
    wrong: wrong.length,
    samples: [...new Set(wrong)].slice(0, SAMPLES).map((line) => line.slice(0, 200)),
  };
}
