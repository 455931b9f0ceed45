import AsyncHTTPClient
import Foundation
import HTTPServerKit
import NIOCore
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

extension SpawningTests {
    @Suite struct ManRenderTests {
        /// Every page renders with man (issue 12, point 7).
        @Test func everyPageRendersWithMan() throws {
            let pages = try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/man").filter {
                $0.hasSuffix(".1") || $0.hasSuffix(".5") || $0.hasSuffix(".7")
            }
            #expect(pages.count > 50)
            for page in pages {
                let man = try ChildProcess(
                    "/usr/bin/man", ["-l", packageRoot + "/man/" + page],
                    environment: ["PATH": "/usr/bin:/bin", "MANWIDTH": "80", "PAGER": "cat", "LANG": "C.UTF-8"])
                #expect(man.wait() == 0 && man.stdout.contains("NAME"), "\(page): \(man.stderr)")
            }
        }
    }
}
