import { eventLogContract } from "../src/contracts/event-log"
import { MemoryEventLogLive } from "../src/event-log"

eventLogContract("memory", MemoryEventLogLive)
