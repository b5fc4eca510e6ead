#if canImport(CLinux)
import CLinux
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Scheduling priority of compute threads.
public enum ThreadPriority {
    /// Lowers the calling thread's priority by `niceness` levels (0-19). Linux schedules each
    /// thread by its own nice value; elsewhere this is a no-op.
    public static func lowerCurrentThread(by niceness: Int) {
        guard niceness > 0 else { return }
        #if canImport(CLinux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(koe_current_thread_id()), Int32(niceness))
        #endif
    }
}
