// Asking one question on the terminal, a password without echo. node:readline edits the line (raw
// mode: the terminal itself echoes nothing) and mute-stream drops what readline would draw while a
// password is typed. By hand around those two because npm's `read`, which wraps the same pair, runs on
// Node 20 only in version 5, whose promise never settles when the user ends the input (Ctrl-D): the
// command would hang on its open database instead of saying it stopped.
import { createInterface } from 'node:readline';
import MuteStream from 'mute-stream';

/** The user left the prompt (Ctrl-C or Ctrl-D): nothing was created. */
export class PromptCancelled extends Error {
  expected = true;
  constructor() {
    super('Cancelled: nothing was created.');
  }
}

let screen: MuteStream | undefined;

/** Asks one question on the terminal (stdin must be one) and resolves with the line typed. */
export function ask(question: string, options: { hidden?: boolean } = {}): Promise<string> {
  if (!screen) {
    screen = new MuteStream();
    screen.pipe(process.stdout, { end: false });
  }
  const out = screen;
  out.unmute();
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: out, terminal: true });
    let answered = false;
    rl.on('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    // Without this listener readline would end the process at Ctrl-C with the terminal left in raw mode.
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      // readline's own newline after the answer was muted with the typing; the screen needs it.
      if (options.hidden || !answered) {
        out.unmute();
        out.write('\n');
      }
      if (!answered) reject(new PromptCancelled());
    });
    rl.setPrompt(question);
    rl.prompt();
    if (options.hidden) out.mute();
  });
}
