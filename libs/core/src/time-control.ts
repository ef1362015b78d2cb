export interface TimeControl {
  minutes: number;
  increment: number;
}

export const MAX_MINUTES = 180;
export const MAX_INCREMENT = 180;

const TIME_CONTROL = /^(\d{1,3})\+(\d{1,3})$/;

/** Parses "M+I"; returns null for anything that is not a playable time control. */
export function parseTimeControl(text: unknown): TimeControl | null {
  if (typeof text !== 'string') return null;
  const match = TIME_CONTROL.exec(text);
  if (!match) return null;
  const minutes = Number(match[1]);
  const increment = Number(match[2]);
  if (minutes > MAX_MINUTES || increment > MAX_INCREMENT) return null;
  if (minutes === 0 && increment === 0) return null;
  return { minutes, increment };
}

/** The canonical spelling, the one stored, shown and sent: no leading zeros ("03+2" is "3+2"). */
export function formatTimeControl({ minutes, increment }: TimeControl): string {
  return `${minutes}+${increment}`;
}

/** Estimated game duration in seconds, the usual 40-move convention: 60·M + 40·I. */
export function estimatedDurationSeconds({ minutes, increment }: TimeControl): number {
  return 60 * minutes + 40 * increment;
}

/** How long a game may still be running after it started: twice the estimate plus a minute. */
export function maxGameDurationSeconds(tc: TimeControl): number {
  return 2 * estimatedDurationSeconds(tc) + 60;
}
