import { readdirSync } from 'node:fs';
import { Command } from 'commander';

/** A CLI command file in ./commands exports `register(program)`; each file adds one top-level command. */
export interface CliCommandModule {
  register(program: Command): void;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command();
  program
    .name('cuntong')
    .description('村通 Cuntong: rural parcel delivery for a prefecture postal branch')
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander exits on --help with code 0; keep that, and let real errors set 2.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  const dir = new URL('./commands/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  for (const f of files) {
    const mod = (await import(new URL(f, dir).href)) as Partial<CliCommandModule>;
    if (typeof mod.register === 'function') mod.register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.stderr.write(`cuntong: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
