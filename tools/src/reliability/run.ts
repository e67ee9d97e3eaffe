/**
 * `npm run reliability -w @ao/tools [-- --size full|ci] [--suites concurrency,crash,work,bad-input]
 * [--seed N] [--trials N]`: the reliability suites against the built `ao`
 * (build it first: `npm run build -w @ao/cli`) in sandboxes with real tmux
 * and git. Prints the figures and the seed (pass it back to replay the same
 * choices), and exits 1 on any violation, lost byte or side effect.
 */
import { parseArgs } from "node:util"
import { runBadInput } from "./bad-input"
import { runConcurrency } from "./concurrency"
import { CRASH_COMMANDS, formatViolation, MIN_MIDWAY_SHARE, runCrashInjection } from "./crash-injection"
import { freshSeed, seededRandom } from "@ao/e2e-harness"
import { CI_SIZE, FULL_SIZE } from "./sizes"
import { runWork, WORK_COMMANDS } from "./work"

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "full" },
    suites: { type: "string", default: "concurrency,crash,work,bad-input" },
    seed: { type: "string" },
    trials: { type: "string" },
    commands: { type: "string" },
    help: { type: "boolean", default: false }
  }
})
if (values.help) {
  console.log(`Usage: npm run reliability -w @ao/tools -- [options]

Runs the reliability suites against the built ao (npm run build -w @ao/cli first)
in sandboxes with a private tmux server and real git.

Options:
  --size full|ci       how big (default full: ${FULL_SIZE.crashTrials} crash trials and ${FULL_SIZE.workTrials} work trials per command;
                       ci: ${CI_SIZE.crashTrials} and ${CI_SIZE.workTrials})
  --suites LIST        comma-separated, any of concurrency,crash,work,bad-input (default all)
  --seed N             replay the random choices of an earlier run (each run prints its seed)
  --trials N           trials per command for the crash and work suites, overriding --size
  --commands LIST      only these commands of the crash and work suites (default all:
                       ${[...CRASH_COMMANDS, ...WORK_COMMANDS].join(",")})
  --help               this text

Exits 1 on any invariant violation, lost byte, side effect or too few kills mid-command.`)
  process.exit(0)
}
const size = values.size === "ci" ? CI_SIZE : FULL_SIZE
const suites = new Set(values.suites.split(","))
const seed = values.seed === undefined ? freshSeed() : Number(values.seed)
const trials = values.trials === undefined ? size.crashTrials : Number(values.trials)
const random = seededRandom(seed)
const commands = values.commands === undefined ? undefined : new Set(values.commands.split(","))
const chosen = (command: string) => commands === undefined || commands.has(command)
let failures = 0

const report = (line: string) => console.log(line)
const problems = (label: string, found: ReadonlyArray<unknown>) => {
  failures += found.length
  for (const problem of found) report(`  ${label}: ${JSON.stringify(problem)}`)
}

report(`seed ${seed} (replay with --seed ${seed}), size ${values.size}, ${trials} crash trials per command${commands === undefined ? "" : `, commands ${values.commands}`}`)

if (suites.has("concurrency")) {
  const figures = await runConcurrency(random, size.concurrency)
  report(
    `concurrency: ${figures.spawns} spawns at once (${figures.spawnsSucceeded} succeeded), then ${figures.mixed} kill/restore/cleanup at once ${JSON.stringify(figures.outcomes)}; ` +
      `${figures.violations.length} invariant violations, ${figures.defects.length} crashes`
  )
  report(
    `concurrency through the HTTP API and the CLI side by side: ${figures.api.spawns} spawns at once (${figures.api.spawnsSucceeded} succeeded), ` +
      `then ${figures.api.mixed} kills and restores at once ${JSON.stringify(figures.api.outcomes)}`
  )
  problems("violation", figures.violations)
  problems("crash", figures.defects)
}

if (suites.has("crash")) {
  let drift = 0
  for (const command of CRASH_COMMANDS.filter(chosen)) {
    let shown = 0
    const figures = await runCrashInjection(random, command, trials, (so) => {
      report(`  ${new Date().toISOString()} ao ${command} after ${so.trials} trials: ${so.killedMidway} mid-command, ${so.leftDrift} drift, ${so.violations.length} violations, ${so.bytesLost} of ${so.bytesWritten} bytes lost`)
      // Shown as they happen: a long run stopped early still names them.
      for (const violation of so.violations.slice(shown)) report(`    violation ${formatViolation(violation).replaceAll("\n", "\n    ")}`)
      shown = so.violations.length
    })
    report(
      `crash injection, ao ${command}: ${figures.trials} trials (${figures.killedMidway} killed mid-command, kills 0-${figures.windowMs} ms after its first subprocess, ` +
        `${figures.leftDrift} left drift ao doctor saw, ` +
        `${figures.repairedByDoctor} needed ao doctor --fix after the re-run); ${figures.violations.length} invariant violations; ` +
        `${figures.bytesLost} of ${figures.bytesWritten} bytes of uncommitted work lost`
    )
    // Each was printed in full as it happened; counted here, named again in one line each.
    problems("violation", figures.violations.map((violation) => `trial ${violation.trial}, ${violation.command}: ${violation.invariant}: ${violation.detail}`))
    if (figures.bytesLost > 0) failures++
    if (figures.killedMidway < Math.ceil(MIN_MIDWAY_SHARE * figures.trials)) {
      problems("too few kills mid-command", [`${figures.killedMidway} of ${figures.trials}, at least ${MIN_MIDWAY_SHARE * 100}% needed`])
    }
    drift += figures.leftDrift
  }
  // Asked of the whole suite, as in CI: trials of an idempotent command (restore) may all leave none.
  if (drift === 0) problems("no crash left drift", ["a run whose crashes leave nothing to recover tested nothing"])
}

if (suites.has("work")) {
  for (const command of WORK_COMMANDS.filter(chosen)) {
    const figures = await runWork(random, command, values.trials === undefined ? size.workTrials : trials, (so) =>
      report(`  ${new Date().toISOString()} ao ${command} after ${so.trials} trials: ${so.violations.length} violations, ${so.bytesLost} of ${so.bytesWritten} bytes lost`)
    )
    report(
      `work inventory, ao ${command}: ${figures.trials} trials (${figures.removed} removed the worktree); ` +
        `${figures.bytesWritten} bytes of work ${JSON.stringify(figures.bytesByKind)} counted before (${figures.bytesMissingBefore} missing) and after; ` +
        `${figures.violations.length} invariant violations; ${figures.bytesLost} bytes lost`
    )
    problems("violation", figures.violations)
    if (figures.bytesLost > 0 || figures.bytesMissingBefore > 0) failures++
    if (figures.removed < figures.trials) problems("worktree kept", [`ao ${command} removed ${figures.removed} of ${figures.trials} worktrees`])
  }
}

if (suites.has("bad-input")) {
  const figures = await runBadInput()
  report(
    `bad input: ${figures.cases} cases; ${figures.withSideEffects.length} with side effects, ${figures.unclear.length} without a clear error naming the input`
  )
  problems("side effect", figures.withSideEffects)
  problems("unclear", figures.unclear)
}

report(failures === 0 ? "all reliability checks passed" : `${failures} reliability problems`)
process.exitCode = failures === 0 ? 0 : 1
