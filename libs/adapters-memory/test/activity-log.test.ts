import { MemoryActivityLog } from "../src/activity-log"
import { activityLogContract } from "../src/contracts/activity-log"

activityLogContract("memory", () => MemoryActivityLog)
