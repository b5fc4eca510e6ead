import Foundation
import Testing
@testable import KoeDaemon

struct ProtocolTests {
}
