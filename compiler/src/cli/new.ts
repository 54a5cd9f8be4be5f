// `tmlc new NAME`: make a project (driver/new_project.ts).
import type { Command } from 'commander';
import { createProject } from '../driver/new_project.js';
import { guarded } from '../driver/pipeline.js';
import type { CliContext } from './common.js';

export function registerNew(program: Command, ctx: CliContext): void {
  program
    .command('new')
    .description('create a project: NAME/tml.toml, NAME/src/main.tml, NAME/tests/')
    .argument('<NAME>', 'the project (and executable) name')
    .action(async (name: string) => {
      ctx.status = await guarded(async () => {
        const dir = createProject(name);
        ctx.io.out(`created project \`${name}\` in ${dir}\n`);
        return 0;
      }, ctx.io);
    });
}
