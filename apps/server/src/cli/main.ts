import { readdirSync } from 'node:fs';
import { Command } from 'commander';

/** A CLI command file in ./commands exports `register(program)`; each file adds one top-level command. */
export interface CliCommandModule {
  register(program: Command): void;
}

/** Builds the program; with `only`, loads just that command's file (start-up stays fast under load). */
export async function buildProgram(only?: string): Promise<Command> {
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
  let files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  if (only && files.includes(`${only}.ts`)) files = [`${only}.ts`];
  for (const f of files) {
    const mod = (await import(new URL(f, dir).href)) as Partial<CliCommandModule>;
    if (typeof mod.register === 'function') mod.register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // `cuntong solve …` needs only solve.ts; `cuntong --help` (or an unknown word) loads every command.
  const first = argv[2];
  const program = await buildProgram(first && /^[a-z][a-z-]*$/.test(first) ? first : undefined);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.stderr.write(`cuntong: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
