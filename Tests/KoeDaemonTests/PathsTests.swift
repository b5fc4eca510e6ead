import Foundation
import Testing
@testable import KoeDaemon

struct PathsTests {
    private func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "koe-paths-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    @Test func runtimeFolderWhenItIsOurs() throws {
        let runtime = try temporaryFolder()
        let paths = DaemonPaths.current(["XDG_RUNTIME_DIR": runtime, "HOME": "/home/x"])
        #expect(paths.socket == runtime + "/koe/koe.sock")
        #expect(paths.lock == runtime + "/koe/daemon.lock")
        #expect(paths.log == "/home/x/.local/state/koe/daemon.log")
        #expect(DaemonPaths.current(["XDG_RUNTIME_DIR": runtime, "XDG_STATE_HOME": "/s"]).log == "/s/koe/daemon.log")
    }

    @Test func temporaryFolderOtherwise() {
        let uid = getuid()
        #expect(DaemonPaths.current(["TMPDIR": "/var/tmp/"]).directory == "/var/tmp/koe-\(uid)")
        #expect(DaemonPaths.current(["XDG_RUNTIME_DIR": "relative", "TMPDIR": "/t"]).directory == "/t/koe-\(uid)")
        #expect(DaemonPaths.current(["XDG_RUNTIME_DIR": "/nonexistent/run"]).directory == "/tmp/koe-\(uid)")
    }

    @Test func folderIsMadePrivate() throws {
        let root = try temporaryFolder()
        let paths = DaemonPaths(directory: root + "/koe", log: root + "/log")
        try paths.prepareDirectory()
        chmod(paths.directory, 0o755)
        try paths.prepareDirectory()
        var info = stat()
        #expect(stat(paths.directory, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
    }

    @Test func aLinkIsRefused() throws {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: false)
        symlink(root + "/elsewhere", root + "/koe")
        #expect(throws: DaemonError.self) { try DaemonPaths(directory: root + "/koe", log: "").prepareDirectory() }
    }

    @Test func theLockAdmitsOne() throws {
        let root = try temporaryFolder()
        let first = try InstanceLock(path: root + "/daemon.lock")
        #expect(first != nil)
        let client = DaemonClient(paths: DaemonPaths(directory: root, log: ""))
        #expect(client.daemonHoldsLock)
        // flock is per open file: a second open in the same process is refused too.
        #expect(try InstanceLock(path: root + "/daemon.lock") == nil)
        _ = first
    }
}
