// Finds or builds the Temporal server and temporal-sql-tool for `npm run stack` and prints the
// server's path; `.ci/run` runs it so a fresh machine builds them once, into tools/.
import { findOrBuildTemporalServer, pinnedTemporalServerVersion } from '../src/temporal/temporal-server-binaries';

const lookup = findOrBuildTemporalServer({ log: (line) => console.error(line) });
if (lookup.binaries) {
  console.error(
    `Temporal server ${pinnedTemporalServerVersion} from ${lookup.binaries.source}: ${lookup.binaries.server} (schema tool ${lookup.binaries.sqlTool})`,
  );
  console.log(lookup.binaries.server);
} else {
  console.error(
    `No Temporal server ${pinnedTemporalServerVersion} could be found or built. Tried:\n- ${lookup.tried.join('\n- ')}`,
  );
  console.error(
    'Install Go 1.25 or newer, or set TEMPORAL_SERVER_PATH (and TEMPORAL_SQL_TOOL_PATH) to binaries of that version.',
  );
  process.exit(1);
}
