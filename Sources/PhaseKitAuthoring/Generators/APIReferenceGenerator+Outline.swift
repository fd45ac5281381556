import PhaseKit

extension APIReferenceGenerator {
    /// A heading and the anchor GitHub gives it.
    struct Heading: Equatable {
        var title: String
        var anchor: String
    }

    /// A `##` section and the `###` headings in it.
    struct Section: Equatable {
        var heading: Heading
        var entries: [Heading]
        var title: String { heading.title }
    }

    /// Every heading of the page with its anchor, computed in page order so that repeated anchors
    /// get GitHub's `-1`, `-2` suffixes exactly where GitHub puts them.
    struct Outline {
        var modules: [Section] = []
        var classes: Section?
        var aliases: Section?

        init(_ registry: BindingRegistry) {
            var anchors = Anchors()
            _ = anchors.take("Lua API reference")
            _ = anchors.take("Contents")
            modules = registry.modules.map { module in
                let heading = Heading(title: module, anchor: anchors.take(module))
                let entries = registry.bindings(of: module).map { binding in
                    let title = signature(binding.spec)
                    return Heading(title: title, anchor: anchors.take(title))
                }
                return Section(heading: heading, entries: entries)
            }
            let classNames = registry.classes.map(\.name).sorted()
            if !classNames.isEmpty { classes = Self.section("Classes", classNames, &anchors) }
            let aliasNames = registry.aliases.map(\.name).sorted()
            if !aliasNames.isEmpty { aliases = Self.section("Aliases", aliasNames, &anchors) }
        }

        static func section(_ title: String, _ names: [String], _ anchors: inout Anchors) -> Section {
            let heading = Heading(title: title, anchor: anchors.take(title))
            return Section(heading: heading, entries: names.map { Heading(title: $0, anchor: anchors.take($0)) })
        }

        /// The table of contents: one item per section, nested items per entry.
        func contents() -> [String] {
            var lines: [String] = []
            for section in modules + [classes, aliases].compactMap({ $0 }) {
                lines.append("- \(Markdown.link(section.heading))")
                lines += section.entries.map { "  - \(Markdown.link($0))" }
            }
            return lines
        }
    }

    /// GitHub's heading anchors: lowercase, punctuation dropped, spaces as hyphens, repeats numbered.
    struct Anchors {
        private var used: [String: Int] = [:]

        mutating func take(_ title: String) -> String {
            let base = Self.slug(title)
            guard let count = used[base] else {
                used[base] = 0
                return base
            }
            var number = count + 1
            while used["\(base)-\(number)"] != nil { number += 1 }
            used[base] = number
            used["\(base)-\(number)"] = 0
            return "\(base)-\(number)"
        }

        static func slug(_ title: String) -> String {
            var slug = ""
            for scalar in title.lowercased().unicodeScalars {
                let properties = scalar.properties
                if scalar == " " {
                    slug += "-"
                } else if scalar == "-" || scalar == "_" || properties.isAlphabetic || properties.numericType != nil
                    || properties.generalCategory == .nonspacingMark
                {
                    slug.unicodeScalars.append(scalar)
                }
            }
            return slug
        }
    }

    /// Markdown escaping for the page's inline text and table cells.
    enum Markdown {
        /// A link to a heading on the page.
        static func link(_ heading: Heading) -> String {
            "[\(escapeBrackets(heading.title))](#\(heading.anchor))"
        }

        /// Text for a table cell: one line, pipes escaped.
        static func cell(_ text: String) -> String {
            GeneratorText.inline(text).replacingPipes()
        }

        /// A code span for a table cell, fenced with enough backticks for the text it holds.
        static func code(_ text: String) -> String {
            let inline = GeneratorText.inline(text)
            var longest = 0
            var run = 0
            for character in inline {
                run = character == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
            let fence = String(repeating: "`", count: longest + 1)
            let padding = longest > 0 ? " " : ""
            return fence + padding + inline.replacingPipes() + padding + fence
        }

        static func escapeBrackets(_ text: String) -> String {
            var escaped = ""
            for character in text {
                if character == "[" || character == "]" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped
        }
    }
}

extension String {
    /// The text with `|` escaped, as GitHub tables need even inside code spans.
    fileprivate func replacingPipes() -> String {
        var escaped = ""
        for character in self {
            if character == "|" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
