/** The `longshore` command: dispatches to its subcommands. */
import { exitWithParent } from './parent-watch.ts';

const USAGE = `usage: longshore <command> [flags]

commands:
  up        control plane and a local agent, state in SQLite (embedded mode)
  server    control plane only
  agent     run tasks on this host's Docker Engine for a control plane
  logs      a task's container logs: longshore logs TASK [--follow]
  placement explain   a placement dry run: why each instance would or would not get the task
  spot interrupt      a Fargate Spot interruption of one FARGATE_SPOT task, to test handling it
  lb listeners        where each load balancer listener listens on this host (its URL)
  iam explain         why an access key may or may not do an action on a resource
  join-token          tokens agents on other hosts join with: create, list, delete
  backup    the control plane's records and keys into a directory: longshore backup --out DIR
  restore   a backup into an empty store (SQLite or PostgreSQL): longshore restore --from DIR
  help      this text

Run 'longshore <command> --help' for a command's flags.`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command loads only its own modules: `server` never loads Docker's client, `agent`
    // never loads the control plane, which keeps each process's memory down.
    case 'up':
    case 'server':
      return (await import('./server-command.ts')).serverCommand(command, rest);
    case 'agent':
      return (await import('./agent-command.ts')).agentCommand(rest);
    case 'logs':
      return (await import('./logs-command.ts')).logsCommand(rest);
    case 'placement':
      return (await import('./placement-command.ts')).placementCommand(rest);
    case 'spot':
      return (await import('./spot-command.ts')).spotCommand(rest);
    case 'lb':
      return (await import('./lb-command.ts')).lbCommand(rest);
    case 'join-token':
      return (await import('./join-token-command.ts')).joinTokenCommand(rest);
    case 'iam':
      return (await import('./iam-explain-command.ts')).iamCommand(rest);
    case 'backup':
      return (await import('./backup-command.ts')).backupCommand(rest);
    case 'restore':
      return (await import('./backup-command.ts')).restoreCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      console.error(`longshore: unknown command '${command}'\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

exitWithParent();
main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`longshore: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
