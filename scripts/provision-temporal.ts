// Finds or installs the Temporal CLI and prints its path; `.ci/run` and `npm start` share this logic.
import { findOrInstallTemporalCli } from '../src/temporal/temporal-cli';

const lookup = findOrInstallTemporalCli((line) => console.error(line));
if (lookup.path) {
  console.error(`Temporal CLI from ${lookup.source}: ${lookup.path}`);
  console.log(lookup.path);
} else {
  console.error(`No Temporal CLI could be found or installed. Tried:\n- ${lookup.tried.join('\n- ')}`);
  console.error('Set TEMPORAL_CLI_PATH, put `temporal` on PATH, or set TEMPORAL_ADDRESS to use a running server.');
  process.exit(1);
}
