// The Temporal server's two PostgreSQL databases, created and brought to the schema its version
// embeds by temporal-sql-tool: the default store (histories, shards, task queues) and visibility
// (the list and search behind `GET /v1/inferences`). Safe to repeat: update-schema applies only
// the versions a database lacks.
import { runCommand } from './run-command';
import { StackPartError } from './stack-part-error';
import { loopback } from './stack-options';

const part = 'Temporal schema (temporal-sql-tool)';

export interface SchemaOptions {
  sqlTool: string;
  postgresPort: number;
  user: string;
  password: string;
  /** True when PostgreSQL was initialised by this run, so nothing exists yet. */
  fresh: boolean;
}

export const temporalDatabases = [
  { database: 'temporal', schema: 'postgresql/v12/temporal' },
  { database: 'temporal_visibility', schema: 'postgresql/v12/visibility' },
] as const;

function runTool(sqlTool: string, args: string[], password: string): Promise<{ ok: boolean; output: string }> {
  // The password goes through the environment, not the command line that `ps` shows.
  return runCommand(sqlTool, args, { ...process.env, SQL_PASSWORD: password });
}

export async function setupTemporalSchema(options: SchemaOptions): Promise<void> {
  const connection = [
    '--plugin',
    'postgres12',
    '--ep',
    loopback,
    '--port',
    String(options.postgresPort),
    '--user',
    options.user,
  ];
  const tried: string[] = [];
  const step = async (database: string, args: string[], tolerate?: RegExp) => {
    const command = [options.sqlTool, ...connection, '--db', database, ...args];
    tried.push(command.join(' '));
    const result = await runTool(options.sqlTool, command.slice(1), options.password);
    if (!result.ok && !(tolerate && tolerate.test(result.output))) {
      throw new StackPartError(
        part,
        `\`${args[0]}\` failed on database ${database}:\n${result.output || '(no output)'}`,
        tried,
      );
    }
  };
  for (const { database, schema } of temporalDatabases) {
    // On a cluster from an earlier run these exist already; the tool then says so and we go on.
    await step(database, ['create-database'], options.fresh ? undefined : /already exists/);
    await step(database, ['setup-schema', '-v', '0.0'], options.fresh ? undefined : /already exists/);
    await step(database, ['update-schema', '--schema-name', schema]);
  }
}
