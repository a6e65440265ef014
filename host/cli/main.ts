import { handleError } from './handle-error.js';
import { buildProgram } from './program.js';

// The `localgate` entry (bin/localgate.js imports this file): parse, run, and let every error
// leave through handleError, which sets the exit code.
try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  handleError(error);
}
