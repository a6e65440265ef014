import { handleError } from './handle-error.js';
import { lightCommandFor, runLightCommand } from './light-commands.js';

// The `localgate` entry (bin/localgate.js imports this file): run the command, and let every
// error leave through handleError, which sets the exit code. The commands run most often skip
// commander and every other command's definition (host/cli/light-commands.ts); the rest are
// parsed by the full program.
try {
  const light = lightCommandFor(process.argv.slice(2));
  if (light) await runLightCommand(light);
  else await (await import('./program.js')).buildProgram().parseAsync(process.argv);
} catch (error) {
  handleError(error);
}
