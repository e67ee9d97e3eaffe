// Adds up the vitest JSON reports every project writes (see vitest.shared.ts)
// and prints the closing `N passed, N failed` line. Lint or typecheck tasks that
// failed count as failures too, so a red run can never end on "0 failed".
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

const [reportsDir = "reports", exitStatus = "0"] = process.argv.slice(2)
const vitestDir = join(reportsDir, "vitest")

let passed = 0
let failed = 0
let skipped = 0
// Wall time per project (first file start to last file end) and the slowest
// files, so a run that grows past its budget says where the time went.
const projectTimes = []
const fileTimes = []
// Every failed test with the first line of its error, printed just above the
// closing line, since the end of the log is what a reader of a red run sees first.
const failures = []
const firstLine = (text) => (text ?? "").replace(/\x1b\[[0-9;]*m/g, "").split("\n").find((line) => line.trim() !== "")?.trim().slice(0, 300) ?? "(no message)"
const files = existsSync(vitestDir) ? readdirSync(vitestDir).filter((f) => f.endsWith(".json")) : []
for (const file of files) {
  const report = JSON.parse(readFileSync(join(vitestDir, file), "utf8"))
  passed += report.numPassedTests ?? 0
  failed += report.numFailedTests ?? 0
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  const suites = report.testResults ?? []
  if (suites.length > 0) {
    const start = Math.min(...suites.map((s) => s.startTime))
    const end = Math.max(...suites.map((s) => s.endTime))
    projectTimes.push({ name: file.replace(/\.json$/, ""), seconds: (end - start) / 1000 })
  }
  for (const suite of suites) {
    fileTimes.push({ name: suite.name.replace(/^.*?\/(apps|libs|tools)\//, "$1/"), seconds: (suite.endTime - suite.startTime) / 1000 })
  }
  // A test file that failed to load has no tests in it but is a failure all the same.
  for (const suite of report.testResults ?? []) {
    const where = suite.name.replace(/^.*?\/(apps|libs|tools)\//, "$1/")
    if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) {
      failed += 1
      failures.push(`${where}: the file failed to load: ${firstLine(suite.message)}`)
    }
    for (const test of suite.assertionResults ?? []) {
      if (test.status === "failed") failures.push(`${where} › ${test.fullName}: ${firstLine((test.failureMessages ?? [])[0])}`)
    }
  }
}

const log = existsSync(join(reportsDir, "npm-test.log")) ? readFileSync(join(reportsDir, "npm-test.log"), "utf8") : ""
const failedTasks = [...log.matchAll(/^\s*-\s+(\S+:(?:lint|typecheck|build))\s*$/gm)].map((m) => m[1])
if (failedTasks.length > 0) {
  console.log(`Failed tasks besides tests: ${failedTasks.join(", ")}`)
  failed += failedTasks.length
}
if (exitStatus !== "0" && failed === 0) {
  console.log("npm test failed without a failing test or task to name; counting it as one failure")
  failed = 1
}

const fmt = ({ name, seconds }) => `${name} ${seconds.toFixed(0)} s`
if (projectTimes.length > 0) {
  console.log(`Test time per project (first file start to last file end): ${projectTimes.sort((a, b) => b.seconds - a.seconds).map(fmt).join(", ")}`)
  console.log(`Slowest test files: ${fileTimes.sort((a, b) => b.seconds - a.seconds).slice(0, 8).map(fmt).join(", ")}`)
}
for (const failure of failures) console.log(`FAILED ${failure}`)
console.log(`Test reports read: ${files.length} project(s)${skipped > 0 ? `, ${skipped} skipped` : ""}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
