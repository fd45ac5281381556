import Foundation
import TestSupport
import Testing

/// The browser harness itself, on a `data:` page: the session starts, the DOM is read, a script
/// runs, an alert is seen, a screenshot is a PNG, and quitting leaves no browser behind.
@Suite("Browser harness", .enabled(if: HeadlessChromium.unavailable == nil, "Chromium cannot run here (the reason is printed above)"))
struct HarnessTests {
    @Test func drivesADataPage() throws {
        let directory = TestScratch.path("chromium")
        let browser = try HeadlessChromium(directory: directory, width: 480, height: 320)
        defer { browser.quit() }
        let page = "<!doctype html><title>t</title><h1 id=h>hello &lt;b&gt;</h1><p class=x>one</p><p class=x>two</p>"
        try browser.driver.navigate("data:text/html;charset=utf-8," + (page.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        #expect(try browser.text("#h") == "hello <b>")
        #expect(try browser.driver.elements("p.x").count == 2)
        #expect(try browser.driver.elements("#absent").isEmpty)
        #expect(try browser.driver.execute("return 1 + 2") as? Int == 3)
        #expect(try browser.driver.alertText() == nil)
        try browser.driver.execute("setTimeout(function () { alert('boom') }, 0)")
        // A failing read counts as "not yet"; the expectation fails after 5 s if it never succeeds.
        #expect(Wait.until(5) { (try? browser.driver.alertText()) == "boom" }, "the alert opened by the page is seen")
        try browser.driver.command("POST", "/alert/dismiss", [:])
        let png = try browser.driver.screenshot()
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        browser.quit()
        #expect(!FileManager.default.fileExists(atPath: directory.path), "the profile directory is removed")
    }
}
